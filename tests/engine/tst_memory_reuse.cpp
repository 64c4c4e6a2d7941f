// A training step allocates large buffers and frees them again; with the process's malloc set up
// by keepFreedMemoryForReuse (app/common/memory_reuse.h), the next step reuses that memory on any
// thread instead of faulting in fresh pages. Here a "step" allocates 120 MiB in 2 MiB blocks,
// writes every page and frees them, on two threads at once, as two sweep jobs do.
//
// The heap has to grow once to hold both threads' steps at the same time. Each thread's warm-up
// step therefore holds its blocks until the other thread holds all of its own: only then is the
// heap as large as the two jobs ever need, and every later page fault is a failure to reuse.

#include <QtTest>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

#include "app/common/memory_reuse.h"

namespace {

constexpr std::size_t kBlock = 2u << 20;
constexpr int kBlocks = 60;
constexpr int kSteps = 8;
constexpr int kThreads = 2;  // two sweep jobs side by side

// Blocks until every thread has arrived; one use only.
class Rendezvous {
public:
    void arriveAndWait()
    {
        std::unique_lock lock(mutex_);
        if (++arrived_ == kThreads) allArrived_.notify_all();
        allArrived_.wait(lock, [this] { return arrived_ == kThreads; });
    }

private:
    std::mutex mutex_;
    std::condition_variable allArrived_;
    int arrived_ = 0;
};

// The block pointers live in an array, not a vector, so that the step allocates nothing else.
void step(const std::function<void()>& whileHoldingAll = {})
{
    std::array<void*, kBlocks> blocks{};
    for (int i = 0; i < kBlocks; ++i) {
        blocks[i] = std::malloc(kBlock);
        if (!blocks[i]) qFatal("out of memory");
        std::memset(blocks[i], i, kBlock);
    }
    if (whileHoldingAll) whileHoldingAll();
    for (void* p : blocks) std::free(p);
}

long threadMinorFaults()
{
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_minflt;
}

// Page faults of the calling thread over kSteps steps, after a warm-up step that overlaps the
// other thread's.
long faultsOfRepeatedSteps(Rendezvous& warmUp)
{
    step([&] { warmUp.arriveAndWait(); });
    const long before = threadMinorFaults();
    for (int i = 0; i < kSteps; ++i) step();
    return threadMinorFaults() - before;
}

}  // namespace

class TstMemoryReuse : public QObject {
    Q_OBJECT

private slots:
    void stepBuffers_areReused_onEveryThread()
    {
#if !defined(__GLIBC__)
        QSKIP("the malloc settings are glibc's");
#endif
        const long pagesWritten = static_cast<long>(kSteps) * kBlocks * static_cast<long>(kBlock / 4096);
        // Two fresh threads, as two sweep jobs: the test's own thread allocated before and counts
        // faults of its own.
        Rendezvous warmUp;
        std::array<long, kThreads> faults{};
        std::array<std::thread, kThreads> jobs;
        for (int i = 0; i < kThreads; ++i) jobs[i] = std::thread([&, i] { faults[i] = faultsOfRepeatedSteps(warmUp); });
        for (std::thread& job : jobs) job.join();
        const long worst = *std::max_element(faults.begin(), faults.end());
        // Without the settings a thread's arena maps and unmaps its heaps: about one fault per page.
        QVERIFY2(worst < pagesWritten / 100, qPrintable(QStringLiteral("%1 page faults for %2 pages written").arg(worst).arg(pagesWritten)));
    }
};

// The settings go first, as in the executables' main(): a thread that allocated before them (Qt
// Test's watchdog) keeps an arena of its own, which later threads may be handed.
int main(int argc, char** argv)
{
    il::app::keepFreedMemoryForReuse();
    QCoreApplication app(argc, argv);
    TstMemoryReuse test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_memory_reuse.moc"
