#pragma once
// The one way engine code includes LibTorch. Qt defines `slots` as a macro and LibTorch has a
// member named `slots` (pytorch/pytorch#19405), so a translation unit that saw a Qt header first
// fails to compile. Saving and restoring the macro makes this header safe in any order.
// Headers that Qt code sees must never include this file (CONTRIBUTING.md, "The layers").

#pragma push_macro("slots")
#undef slots
#include <torch/torch.h>
#pragma pop_macro("slots")
