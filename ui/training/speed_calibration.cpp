#include "ui/training/speed_calibration.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

#include "engine/core/compute_threads.h"

namespace il::ui {

SpeedCalibration* SpeedCalibration::instance()
{
    static QPointer<SpeedCalibration> one;
    if (!one) one = new SpeedCalibration(QCoreApplication::instance());
    return one;
}

SpeedCalibration::SpeedCalibration(QObject* parent) : QObject(parent) {}

SpeedCalibration::~SpeedCalibration()
{
    if (thread_) thread_->wait();  // about a second at most: its trainings are a few steps each
}

std::optional<il::SpeedFactors> SpeedCalibration::factors(const il::DataLocations& data)
{
    if (factors_ || thread_) return factors_;
    threads_ = il::computeThreads();
    const int threads = threads_;
    thread_ = QThread::create([this, data, threads] { result_ = il::calibrateSpeed(data, threads); });
    thread_->setParent(this);
    thread_->setObjectName(QStringLiteral("speed calibration"));
    connect(thread_, &QThread::finished, this, [this] {
        factors_ = result_;
        emit measured();
    });
    thread_->start(QThread::LowPriority);
    return std::nullopt;
}

}  // namespace il::ui
