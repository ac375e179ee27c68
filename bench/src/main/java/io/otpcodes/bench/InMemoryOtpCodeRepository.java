package io.otpcodes.bench;

import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.PageCollector;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeInput;
import io.otpcodes.domain.OtpCodeRepository;
import io.otpcodes.domain.ReadStats;
import io.otpcodes.domain.RecipientRequirement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store in a map, for the benchmark only: it separates the functions' own cost from
 * DynamoDB's. It keeps the repository's contract (retention, the recipient requirement) but
 * is no stand-in for DynamoDB in tests.
 */
public final class InMemoryOtpCodeRepository implements OtpCodeRepository {

    private final Map<Long, OtpCode> codes = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Duration retention;

    public InMemoryOtpCodeRepository(Duration retention) {
        this.retention = retention;
    }

    @Override
    public long nextId() {
        return ids.incrementAndGet();
    }

    @Override
    public void insert(OtpCode code) {
        if (codes.putIfAbsent(code.id(), code) != null) {
            throw new IllegalStateException("id taken");
        }
    }

    @Override
    public Optional<OtpCode> find(long id, Instant now) {
        OtpCode code = codes.get(id);
        return code == null || expired(code, now) ? Optional.empty() : Optional.of(code);
    }

    @Override
    public Listing list(ListQuery query, Instant now) {
        PageCollector matching = new PageCollector(query);
        for (OtpCode code : codes.values()) {
            if (!expired(code, now) && query.filter().keeps(code, now)) {
                matching.offer(code);
            }
        }
        return new Listing(matching.count(), matching.page(), new ReadStats("Memory", null, 0, codes.size(), 1, matching.peakKept()));
    }

    @Override
    public synchronized UpdateResult update(long id, OtpCodeInput input, RecipientRequirement requirement, Instant now) {
        OtpCode stored = codes.get(id);
        if (stored == null || expired(stored, now)) {
            return UpdateResult.failed(UpdateResult.Status.NOT_FOUND);
        }
        boolean ok = switch (requirement) {
            case HAS_MOBILE_NUMBER -> stored.mobileNumber() != null;
            case NO_MOBILE_NUMBER -> stored.mobileNumber() == null;
            case HAS_EMAIL -> stored.email() != null;
            case NO_EMAIL -> stored.email() == null;
            case NONE -> true;
        };
        if (!ok) {
            return UpdateResult.failed(UpdateResult.Status.RECIPIENT_RULE_BROKEN);
        }
        OtpCode updated = new OtpCode(id,
                input.code() != null ? input.code() : stored.code(),
                input.hasMobileNumber() ? input.mobileNumber() : stored.mobileNumber(),
                input.hasEmail() ? input.email() : stored.email(),
                input.validTo() != null ? input.validTo() : stored.validTo(),
                stored.createdAt(), now);
        codes.put(id, updated);
        return UpdateResult.updated(updated);
    }

    private boolean expired(OtpCode code, Instant now) {
        return !code.validTo().plus(retention).isAfter(now);
    }
}
