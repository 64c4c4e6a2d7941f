// A training step allocates large buffers and frees them again; with the process's malloc set up
// by keepFreedMemoryForReuse (app/common/memory_reuse.h), the next step reuses that memory on any
// thread instead of faulting in fresh pages. Here a "step" allocates 120 MiB in 2 MiB blocks,
// writes every page and frees them, on two threads at once, as two sweep jobs do.

#include <QtTest>

#include <sys/resource.h>

#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "app/common/memory_reuse.h"

namespace {

constexpr std::size_t kBlock = 2u << 20;
constexpr int kBlocks = 60;
constexpr int kSteps = 8;

void step()
{
    std::vector<void*> blocks;
    for (int i = 0; i < kBlocks; ++i) {
        void* p = std::malloc(kBlock);
        if (!p) qFatal("out of memory");
        std::memset(p, i, kBlock);
        blocks.push_back(p);
    }
    for (void* p : blocks) std::free(p);
}

long threadMinorFaults()
{
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_minflt;
}

// Page faults of kSteps steps after a first one, on a thread of its own.
long faultsOfRepeatedSteps()
{
    long faults = 0;
    std::thread worker([&] {
        step();
        const long before = threadMinorFaults();
        for (int i = 0; i < kSteps; ++i) step();
        faults = threadMinorFaults() - before;
    });
    worker.join();
    return faults;
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
        long worst = 0;
        std::thread other([&] { worst = std::max(worst, faultsOfRepeatedSteps()); });
        const long here = faultsOfRepeatedSteps();
        other.join();
        worst = std::max(worst, here);
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
