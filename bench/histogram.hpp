// A mergeable latency histogram in microseconds: exact below 32 µs, then 32 buckets per
// power of two (a reported percentile is within ~3 % of the true value). The maximum is
// kept exactly.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace cylch::bench {

class histogram {
public:
    static constexpr int sub_bits = 5;
    static constexpr std::size_t sub = std::size_t{1} << sub_bits;
    static constexpr std::size_t buckets = 60 * sub;

    histogram()
        : counts_(buckets, 0) {}

    void add(std::uint64_t us) {
        ++counts_[index(us)];
        ++total_;
        max_ = std::max(max_, us);
    }

    void merge(histogram const& o) {
        for (std::size_t i = 0; i < buckets; ++i) {
            counts_[i] += o.counts_[i];
        }
        total_ += o.total_;
        max_ = std::max(max_, o.max_);
    }

    std::uint64_t count() const { return total_; }
    std::uint64_t max() const { return max_; }

    // The value at quantile q (0..1), in µs; 0 when empty.
    std::uint64_t quantile(double q) const {
        if (total_ == 0) {
            return 0;
        }
        auto const rank = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < buckets; ++i) {
            seen += counts_[i];
            if (seen >= rank) {
                return std::min(value(i), max_);
            }
        }
        return max_;
    }

    // Sparse form for JSON: [[bucket, count], …] plus max.
    std::vector<std::pair<std::size_t, std::uint64_t>> sparse() const {
        std::vector<std::pair<std::size_t, std::uint64_t>> out;
        for (std::size_t i = 0; i < buckets; ++i) {
            if (counts_[i] != 0) {
                out.emplace_back(i, counts_[i]);
            }
        }
        return out;
    }
    void add_bucket(std::size_t i, std::uint64_t n) {
        if (i < buckets) {
            counts_[i] += n;
            total_ += n;
        }
    }
    void set_max_at_least(std::uint64_t m) { max_ = std::max(max_, m); }

private:
    static std::size_t index(std::uint64_t v) {
        if (v < sub) {
            return static_cast<std::size_t>(v);
        }
        auto const msb = 63 - std::countl_zero(v);
        auto const e = static_cast<std::size_t>(msb - sub_bits);
        auto const i = (e + 1) * sub + static_cast<std::size_t>((v >> e) - sub);
        return std::min(i, buckets - 1);
    }
    // The middle of bucket i.
    static std::uint64_t value(std::size_t i) {
        if (i < sub) {
            return i;
        }
        auto const e = i / sub - 1;
        auto const m = i % sub + sub;
        return (std::uint64_t{m} << e) + ((std::uint64_t{1} << e) >> 1);
    }

    std::vector<std::uint64_t> counts_;
    std::uint64_t total_ = 0;
    std::uint64_t max_ = 0;
};

} // namespace cylch::bench
