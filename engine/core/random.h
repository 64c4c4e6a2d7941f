#pragma once
// A tiny deterministic generator for choices the engine makes outside torch (which training
// image, which probes, noise). std::uniform_*_distribution differ between standard libraries;
// this gives the same numbers everywhere, so a seed means the same experiment on every machine.

#include <cmath>
#include <cstdint>

namespace il {

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next()
    {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }  // [0, 1)
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }                     // bias negligible for our n
    double normal()
    {  // Box-Muller
        double u1 = uniform();
        while (u1 <= 0.0) u1 = uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    std::uint64_t state_;
};

}  // namespace il
