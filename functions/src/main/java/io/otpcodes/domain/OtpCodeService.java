package io.otpcodes.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The rules of OTP codes: what may be written, what defaults apply, what can be read. */
public final class OtpCodeService {

    private final OtpCodeRepository repository;
    private final Clock clock;
    private final Duration expiration;

    public OtpCodeService(OtpCodeRepository repository, Clock clock, Duration expiration) {
        this.repository = repository;
        this.clock = clock;
        this.expiration = expiration;
    }

    /** Now, at the contract's precision. */
    public Instant now() {
        return Timestamps.truncate(clock.instant());
    }

    public OtpCode create(Map<String, Object> body) {
        OtpCodeInput input = OtpCodeInput.parse(body, WriteMode.CREATE);
        OtpCodeInput.requireOneRecipient(input.mobileNumber(), input.email());
        Instant now = now();
        Instant validTo = input.validTo() != null ? input.validTo() : now.plus(expiration);
        OtpCode code = new OtpCode(repository.nextId(), input.code(), input.mobileNumber(), input.email(),
                validTo, now, now);
        repository.insert(code);
        return code;
    }

    public OtpCode retrieve(String id) {
        return parseId(id).flatMap(n -> repository.find(n, now())).orElseThrow(NotFoundException::new);
    }

    /** A page of the codes the query keeps, in its order. */
    public ListPage list(ListQuery query) {
        OtpCodeRepository.Listing listing = query.filter().matchesNothing()
                ? new OtpCodeRepository.Listing(0, List.of(), ReadStats.none())
                : repository.list(query, now());
        return new ListPage(listing.count(), listing.page(), query.offset(), query.limit(), listing.stats());
    }

    /**
     * Updates the code {@code id} from the body {@code body} supplies. As DRF, an unknown id is
     * a 404 even when the body is bad too, so the body is read after the id is known to exist
     * whenever the body would be refused.
     */
    public OtpCode update(String id, Supplier<Map<String, Object>> body, WriteMode mode) {
        long n = parseId(id).orElseThrow(NotFoundException::new);
        OtpCodeInput input;
        RecipientRequirement requirement;
        try {
            input = OtpCodeInput.parse(body.get(), mode);
            requirement = input.recipientRequirement();
        } catch (RuntimeException refused) {
            if (repository.find(n, now()).isEmpty()) {
                throw new NotFoundException();
            }
            throw refused;
        }
        OtpCodeRepository.UpdateResult result = repository.update(n, input, requirement, now());
        switch (result.status()) {
            case UPDATED:
                return result.code();
            case RECIPIENT_RULE_BROKEN:
                throw FieldErrors.single(FieldErrors.NON_FIELD_ERRORS, Messages.ONE_RECIPIENT);
            default:
                throw new NotFoundException();
        }
    }

    /** Warms the store's request paths before a SnapStart snapshot; changes nothing. */
    public void warmUp(OtpCodeRepository.Use use) {
        repository.warmUp(use);
    }

    /** Ids as DRF's lookup reads them (Python's int()); anything else is no id at all. */
    static Optional<Long> parseId(String id) {
        return id == null ? Optional.empty() : PythonInt.parseLong(id).filter(n -> n > 0);
    }
}
