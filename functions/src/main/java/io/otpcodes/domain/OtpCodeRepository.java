package io.otpcodes.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where OTP codes live. Reads never return a code whose retention has passed. */
public interface OtpCodeRepository {

    /** A new id: unique and increasing under any concurrency; a failed write leaves a gap. */
    long nextId();

    /** Stores a new code; never replaces one. */
    void insert(OtpCode code);

    /** The code with this id, unless it is missing or past its retention at {@code now}. */
    Optional<OtpCode> find(long id, Instant now);

    /**
     * One page of the codes {@code query} keeps whose retention has not passed at {@code now}, in
     * its order, with how many it keeps in all and what reading them cost.
     */
    Listing list(ListQuery query, Instant now);

    /** The result of {@link #list}. */
    record Listing(long count, List<OtpCode> page, ReadStats stats) {
    }

    /**
     * Applies {@code input} to the stored code in one atomic write, stamped {@code now}, only if
     * the code exists, is within its retention and meets {@code requirement}.
     */
    UpdateResult update(long id, OtpCodeInput input, RecipientRequirement requirement, Instant now);

    /** What a function uses the store for: its role allows the requests of that use and no others. */
    enum Use { READ, CREATE, UPDATE }

    /**
     * Runs each kind of request the store makes for {@code use} without changing anything (reads
     * of keys no code has, writes whose condition cannot hold), so a snapshot holds the classes
     * they load. Only that use's requests: on AWS another would be denied by the function's role.
     */
    default void warmUp(Use use) {
    }

    /** The outcome of {@link #update}: the code as stored afterwards, or why nothing changed. */
    record UpdateResult(Status status, OtpCode code) {

        public enum Status { UPDATED, NOT_FOUND, RECIPIENT_RULE_BROKEN }

        public static UpdateResult updated(OtpCode code) {
            return new UpdateResult(Status.UPDATED, code);
        }

        public static UpdateResult failed(Status status) {
            return new UpdateResult(status, null);
        }
    }
}
