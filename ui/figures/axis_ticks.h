#pragma once
// Round tick values (1, 2, 5 times a power of ten) for the colour bars we draw ourselves;
// QCustomPlot has its own tickers for the plots.

#include <QString>

#include <vector>

namespace il::ui {

struct Ticks {
    std::vector<double> values;  // ascending, all within [lo, hi]
    double step = 0.0;
};

// At most about maxTicks round values inside [lo, hi]; lo and hi themselves when the range
// is too narrow to hold two round values.
Ticks niceTicks(double lo, double hi, int maxTicks = 5);

// Just enough decimals for the step: 0.25 -> "0.25", 2 -> "2", never "-0".
QString formatTick(double value, double step);

}  // namespace il::ui
