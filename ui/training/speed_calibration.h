#pragma once
// This machine's speed for time estimates (engine/sweep/time_estimate.h): a few short trainings
// (about a second) on a thread of their own, never on the GUI thread, once per process. While a
// run trains they share the cores with it, so the estimate is then on the slow side.

#include <QObject>

#include <optional>

#include "engine/data/dataset.h"
#include "engine/sweep/time_estimate.h"

class QThread;

namespace il::ui {

class SpeedCalibration : public QObject {
    Q_OBJECT
public:
    // The one of this process, owned by the application object.
    static SpeedCalibration* instance();
    ~SpeedCalibration() override;

    // The factors once measured; the first call starts the measurement (measured() follows).
    std::optional<il::SpeedFactors> factors(const il::DataLocations& data);
    int threads() const { return threads_; }

Q_SIGNALS:
    void measured();

private:
    explicit SpeedCalibration(QObject* parent);
    QThread* thread_ = nullptr;
    std::optional<il::SpeedFactors> factors_;
    il::SpeedFactors result_;  // written by the thread, read after it finished
    int threads_ = 1;
};

}  // namespace il::ui
