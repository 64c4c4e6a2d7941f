#include "engine/probes/probe_set.h"

#include <algorithm>

#include "engine/core/errors.h"
#include "engine/core/random.h"
#include "engine/data/resample.h"
#include "engine/probes/patterns.h"

namespace il {

namespace {

// Distinct indices of `set` with the given label (or any label when label < 0), in a seeded
// order; `exclude` are skipped.
std::vector<int> seededPick(const LabelledSet& set, int label, std::size_t count, SplitMix64& rng, const std::vector<int>& exclude = {})
{
    std::vector<int> candidates;
    for (std::size_t i = 0; i < set.labels.size(); ++i)
        if ((label < 0 || set.labels[i] == label) && std::find(exclude.begin(), exclude.end(), static_cast<int>(i)) == exclude.end())
            candidates.push_back(static_cast<int>(i));
    std::vector<int> picked;
    while (picked.size() < count && !candidates.empty()) {
        const std::size_t j = rng.below(candidates.size());
        picked.push_back(candidates[j]);
        candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(j));
    }
    return picked;
}

// The column label of the test probes: their data set, so a Fashion-MNIST run does not call
// its trousers "mnist Trouser".
const char* digitName(DatasetKind kind)
{
    switch (kind) {
        case DatasetKind::Cifar10:
            return "cifar";
        case DatasetKind::FashionMnist:
            return "fashion";
        case DatasetKind::Mnist:
            break;
    }
    return "mnist";
}

std::string labelName(const LabelledSet& set, int label)
{
    if (label >= 0 && static_cast<std::size_t>(label) < set.classNames.size()) return set.classNames[label];
    return std::to_string(label);
}

}  // namespace

const char* fashionClassName(int label)
{
    static const char* const names[] = {"t-shirt", "trouser", "pullover", "dress", "coat",
                                        "sandal",  "shirt",   "sneaker",  "bag",   "ankle boot"};
    return label >= 0 && label < 10 ? names[label] : "item";
}

Image conformImage(const Image& image, int channels, int size)
{
    Image out = image;
    if (out.channels != channels) out = toChannels(out, channels);
    if (out.height != size || out.width != size) out = resize(out, size, size);
    return out;
}

TrainingSelection selectTrainingImages(const ExperimentConfig& c, const DataLocations& data)
{
    const auto set = loadDatasetShared(c.dataset, Split::Train, data);
    TrainingSelection sel;
    sel.source = set->source;
    std::vector<int> indices = c.trainIndices;
    if (indices.empty()) {
        SplitMix64 rng(c.dataSeed);
        indices = seededPick(*set, c.trainClass, 1, rng);
        if (indices.empty())
            throw DataError(std::string("the training split of ") + datasetName(c.dataset) + " has no image of class " +
                            std::to_string(c.trainClass));
        // Further examples (the two- and three-example experiments) come from any class.
        const auto more = seededPick(*set, -1, static_cast<std::size_t>(c.trainCount - 1), rng, indices);
        indices.insert(indices.end(), more.begin(), more.end());
    }
    for (int i : indices) {
        if (i < 0 || static_cast<std::size_t>(i) >= set->images.size())
            throw ConfigError("config key \"train_examples\": index " + std::to_string(i) + " is outside the " +
                              std::to_string(set->images.size()) + " training images of " + datasetName(c.dataset));
        sel.images.push_back(conformImage(set->images[i], c.imageChannels(), c.imageSize));
        sel.indices.push_back(i);
        sel.labels.push_back(set->labels[i]);
    }
    return sel;
}

std::vector<Probe> figureProbes(const ExperimentConfig& c, const TrainingSelection& training, const DataLocations& data,
                                std::vector<std::string>* warnings)
{
    const int channels = c.imageChannels();
    const int size = c.imageSize;
    std::vector<Probe> probes;
    const auto trainSet = loadDatasetShared(c.dataset, Split::Train, data);
    // The figures show the training image; with many examples only the first three.
    for (std::size_t i = 0; i < std::min<std::size_t>(3, training.images.size()); ++i)
        probes.push_back({"train " + labelName(*trainSet, training.labels[i]), ProbeGroup::Train, training.images[i]});

    // Test digits (or CIFAR test images): a blend of two, then two more, each of a class other
    // than the training image's so that "identity" and "constant" can be told apart.
    SplitMix64 rng(c.dataSeed ^ 0x7e57ULL);
    const auto test = loadDatasetShared(c.dataset, Split::Test, data);
    const int trainLabel = training.labels.empty() ? -1 : training.labels.front();
    std::vector<int> picked;
    for (int n = 0; n < 4; ++n) {
        std::vector<int> pool;
        for (std::size_t i = 0; i < test->labels.size(); ++i) {
            const int label = test->labels[i];
            bool used = label == trainLabel;
            for (int p : picked) used = used || test->labels[p] == label;
            if (!used) pool.push_back(static_cast<int>(i));
        }
        if (pool.empty()) break;
        picked.push_back(pool[rng.below(pool.size())]);
    }
    if (picked.size() == 4) {
        const Image a = conformImage(test->images[picked[0]], channels, size);
        const Image b = conformImage(test->images[picked[1]], channels, size);
        Image blend = a;
        for (std::size_t i = 0; i < blend.pixels.size(); ++i) blend.pixels[i] = 0.5f * (a.pixels[i] + b.pixels[i]);
        probes.push_back({"blend " + labelName(*test, test->labels[picked[0]]) + "+" + labelName(*test, test->labels[picked[1]]),
                          ProbeGroup::Blend, blend});
        for (int k = 2; k < 4; ++k)
            probes.push_back({std::string(digitName(c.dataset)) + " " + labelName(*test, test->labels[picked[k]]), ProbeGroup::Mnist,
                              conformImage(test->images[picked[k]], channels, size)});
    }

    try {
        const auto fashion = loadDatasetShared(DatasetKind::FashionMnist, Split::Test, data);
        SplitMix64 frng(c.dataSeed ^ 0xfa5ULL);
        const auto items = seededPick(*fashion, -1, 1, frng);
        std::vector<int> chosen = items;
        // The second item of another class, as in the figures (boot and T-shirt, sneaker and pullover).
        for (int tries = 0; tries < 100 && chosen.size() < 2; ++tries) {
            const auto next = seededPick(*fashion, -1, 1, frng, chosen);
            if (!next.empty() && fashion->labels[next[0]] != fashion->labels[chosen[0]]) chosen.push_back(next[0]);
        }
        for (int i : chosen)
            probes.push_back({std::string("fashion ") + fashionClassName(fashion->labels[i]), ProbeGroup::Fashion,
                              conformImage(fashion->images[i], channels, size)});
    } catch (const DataError& e) {
        if (warnings) warnings->push_back(std::string("Fashion-MNIST probes left out: ") + e.what());
    }

    for (Pattern p : allPatterns())
        probes.push_back({toString(p), ProbeGroup::Pattern, conformImage(makePattern(p, size), channels, size)});
    probes.push_back({"noise", ProbeGroup::Noise, makeNoise(channels, size, c.dataSeed ^ 0x5eedULL)});
    return probes;
}

}  // namespace il
