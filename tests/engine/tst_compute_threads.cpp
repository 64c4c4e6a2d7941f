// coreCount() decides how many threads training starts and how many runs `--jobs` trains side by
// side. It must count the CPUs the process may run on, not the machine's: under taskset, a
// container's cpuset or a Slurm allocation, the machine's count oversubscribes the few cores given.

#include <QtTest>

#include <sched.h>

#include "engine/core/compute_threads.h"

class TestComputeThreads : public QObject {
    Q_OBJECT

private slots:
    void coreCount_followsTheAffinityMask()
    {
        cpu_set_t original;
        CPU_ZERO(&original);
        QCOMPARE(sched_getaffinity(0, sizeof original, &original), 0);
        QCOMPARE(il::coreCount(), CPU_COUNT(&original));
        if (CPU_COUNT(&original) < 2) QSKIP("needs a process allowed on two CPUs or more");

        int first = 0;
        while (!CPU_ISSET(first, &original)) ++first;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(first, &one);
        QCOMPARE(sched_setaffinity(0, sizeof one, &one), 0);
        const int narrowed = il::coreCount();
        QCOMPARE(sched_setaffinity(0, sizeof original, &original), 0);
        QCOMPARE(narrowed, 1);
    }

    void setComputeThreads_zeroMeansOnePerAllowedCpu()
    {
        il::setComputeThreads(0);
        QCOMPARE(il::computeThreads(), il::coreCount());
        il::setComputeThreads(1);
        QCOMPARE(il::computeThreads(), 1);
    }
};

QTEST_GUILESS_MAIN(TestComputeThreads)
#include "tst_compute_threads.moc"
