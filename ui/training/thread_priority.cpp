#include "ui/training/thread_priority.h"

#include <QThread>

#include <algorithm>
#include <cerrno>
#include <cstdint>

#if defined(Q_OS_LINUX)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace il::ui {

namespace {

#if defined(Q_OS_LINUX)
// Nice 5 weighs a third of nice 0 in the kernel's fair scheduler: the GUI thread wins its
// wake-ups, while the training still gets every core the GUI leaves idle.
constexpr int kTrainingNice = 5;
// The shortest slice the kernel accepts is 0.1 ms; 0.5 ms is below the default (0.75 ms times
// 1 + log2 of the cores) on any machine, and long enough to paint a few cells per slice.
constexpr std::uint64_t kGuiSliceNs = 500'000;

// The kernel's struct sched_attr, first version (SCHED_ATTR_SIZE_VER0, 48 bytes). Declared here
// because <linux/sched/types.h> redefines glibc's struct sched_param.
struct SchedAttr {
    std::uint32_t size;
    std::uint32_t policy;
    std::uint64_t flags;
    std::int32_t nice;
    std::uint32_t priority;
    std::uint64_t runtime;
    std::uint64_t deadline;
    std::uint64_t period;
};
static_assert(sizeof(SchedAttr) == 48, "the kernel's sched_attr, version 0");
constexpr std::uint32_t kSchedNormal = 0;  // SCHED_NORMAL (SCHED_OTHER)

// Sets the calling thread's nice value and time slice (0: the kernel's default; before Linux 6.12
// the slice is ignored). On Linux both belong to each thread, and threads it creates later
// inherit them. Returns false where the kernel refuses.
bool setThreadScheduling(int nice, std::uint64_t sliceNs)
{
    SchedAttr attr{};
    attr.size = sizeof(attr);
    attr.policy = kSchedNormal;
    attr.nice = nice;
    attr.runtime = sliceNs;
    return ::syscall(SYS_sched_setattr, static_cast<pid_t>(::syscall(SYS_gettid)), &attr, 0U) == 0;
}

int currentThreadNice()
{
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)));
    return errno == 0 ? nice : 0;
}
#endif

}  // namespace

void lowerCurrentThreadPriority()
{
#if defined(Q_OS_LINUX)
    // The thread was started by the GUI thread and inherited its short slices; it gives them
    // back (0), so that a waking GUI thread's slice is the shorter one. Qt's QThread::setPriority
    // cannot do this: SCHED_OTHER has a single priority level.
    const int nice = std::max(currentThreadNice(), kTrainingNice);
    if (!setThreadScheduling(nice, 0)) ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), nice);
#else
    QThread::currentThread()->setPriority(QThread::LowPriority);
#endif
}

void requestShortTimeSlices()
{
#if defined(Q_OS_LINUX)
    setThreadScheduling(currentThreadNice(), kGuiSliceNs);
#endif
}

}  // namespace il::ui
