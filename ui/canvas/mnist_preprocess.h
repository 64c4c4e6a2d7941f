#pragma once
// Makes any picture look like an MNIST digit (LeCun et al.'s own preparation): grey, white
// strokes on black (inverted when the background is light), cropped to the strokes' bounding
// box, the longer side scaled to 20 px, and placed in a 28x28 frame so that the centre of mass
// sits at the centre. Done with OpenCV.

#include <QImage>

#include "engine/core/image.h"

namespace il::ui {

struct MnistPreprocessResult {
    il::Image image;        // 1 x size x size, values in [0, 1]
    bool inverted = false;  // the background was light and was flipped to black
    bool empty = false;     // nothing was drawn: an all-black image
};

// `size` is the output side (28 for MNIST; the box is scaled to 20/28 of it).
MnistPreprocessResult mnistLike(const QImage& picture, int size = 28);

}  // namespace il::ui
