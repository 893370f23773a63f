#include "server/retention.hpp"

#include "server/export/csv.hpp"
#include "server/log.hpp"
#include "shared/protocol/api.hpp"

#include <cctype>
#include <ctime>
#include <memory>
#include <utility>

namespace cylch::retention {

std::optional<time_ms> due_at(protocol::workshop_spec const& spec, time_ms ended_at) {
    if (!spec.retention_days) {
        return std::nullopt;
    }
    return ended_at + static_cast<time_ms>(*spec.retention_days) * day_ms;
}

namespace {

// The results a workshop keeps at its purge, when its file asks for them.
std::optional<std::string> kept(domain::workshop const& ws) {
    if (!ws.spec().keep_aggregates) {
        return std::nullopt;
    }
    return protocol::encode_kept_results(export_::kept_results_of(ws));
}

// One purge run: the due workshops, purged one after the other.
struct run : std::enable_shared_from_this<run> {
    run(live::registry& r, time_ms n, std::function<void(purge_report)> d)
        : registry(r)
        , now(n)
        , done(std::move(d)) {}

    void step() {
        if (next == due.size()) {
            done(std::move(report));
            return;
        }
        auto const id = due[next++];
        registry.find_by_id(
            id, [self = shared_from_this(), id](std::shared_ptr<live::workshop_actor> actor) {
                if (!actor) {
                    self->report.failed.push_back(id);
                    self->step();
                    return;
                }
                using outcome = live::workshop_actor::purge_outcome;
                actor->purge(self->now, kept, [self, id](outcome o, std::size_t respondents) {
                    switch (o) {
                    case outcome::purged:
                        // The audit entry is written with the purge (store.cpp).
                        log::info("workshop purged",
                                  {{"workshop", id}, {"respondents", std::to_string(respondents)}});
                        self->report.purged.push_back(id);
                        break;
                    case outcome::live:
                    case outcome::already:
                        break; // purged meanwhile (another run or an erasure), or not ended
                    case outcome::failed:
                        log::error("workshop purge failed; tried again at the next run",
                                   {{"workshop", id}});
                        self->report.failed.push_back(id);
                        break;
                    }
                    self->step();
                });
            });
    }

    live::registry& registry;
    time_ms const now;
    std::function<void(purge_report)> done;
    std::vector<std::string> due{};
    std::size_t next = 0;
    purge_report report{};
};

} // namespace

void purge_due(live::registry& registry, store::store& db, time_ms now,
               std::function<void(purge_report)> done) {
    auto r = std::make_shared<run>(registry, now, std::move(done));
    db.ended_unpurged_async([r](std::optional<std::vector<store::ended_workshop>> ended) {
        if (!ended) {
            r->report.listed = false;
            r->done(std::move(r->report));
            return;
        }
        for (auto const& w : *ended) {
            auto parsed = protocol::parse_workshop_file(w.definition);
            auto const* spec = std::get_if<protocol::workshop_spec>(&parsed);
            if (spec == nullptr) {
                continue; // never stored without passing the same parser
            }
            if (auto due = due_at(*spec, w.ended_at); due && *due <= r->now) {
                r->due.push_back(w.id);
            }
        }
        r->step();
    });
}

std::string describe(purge_report const& r) {
    if (!r.listed) {
        return "the ended workshops could not be read; nothing purged";
    }
    auto list = [](std::vector<std::string> const& ids) {
        std::string out;
        for (auto const& id : ids) {
            out += (out.empty() ? ": " : ", ") + id;
        }
        return out;
    };
    std::string out = "purged " + std::to_string(r.purged.size()) +
                      (r.purged.size() == 1 ? " workshop" : " workshops") + list(r.purged);
    if (!r.failed.empty()) {
        out += "; could not purge " + std::to_string(r.failed.size()) + list(r.failed) +
               " (tried again at the next run)";
    }
    return out;
}

} // namespace cylch::retention
