#include "engine/config/choices.h"

#include <sstream>

namespace il {

namespace {

using S = Setting;

}  // namespace

const char* configKey(Setting s)
{
    switch (s) {
        case Setting::Width:
            return "width";
        case Setting::Channels:
            return "channels";
        case Setting::KernelSize:
            return "kernel_size";
        case Setting::ResidualForm:
            return "residual_form";
        case Setting::Momentum:
            return "momentum";
        case Setting::Nesterov:
            return "nesterov";
        case Setting::Beta1:
            return "beta1";
        case Setting::Beta2:
            return "beta2";
        case Setting::WeightDecay:
            return "weight_decay";
        case Setting::Lr:
            return "lr";
    }
    return "?";
}

const std::vector<Choice<Architecture>>& architectureChoices()
{
    static const std::vector<Choice<Architecture>> table{
        {Architecture::Fcn, "fcn", "FCN", "Fully connected layers: each output pixel sees every input pixel.", {S::Width}},
        {Architecture::Cnn,
         "cnn",
         "CNN",
         "k x k convolutions with 'same' padding: each output pixel sees a neighbourhood.",
         {S::Channels, S::KernelSize}},
        {Architecture::ResnetFcn,
         "resnet_fcn",
         "ResNet-FCN",
         "Fully connected layers with an identity skip around every two.",
         {S::Width, S::ResidualForm}},
        {Architecture::ResnetCnn,
         "resnet_cnn",
         "ResNet-CNN",
         "Convolutions with an identity skip around every two layers.",
         {S::Channels, S::KernelSize, S::ResidualForm}},
    };
    return table;
}

const std::vector<Choice<Activation>>& activationChoices()
{
    static const std::vector<Choice<Activation>> table{
        {Activation::Relu, "relu", "ReLU", "max(0, x).", {}},
        {Activation::Linear, "linear", "linear", "No non-linearity: the whole network is one linear map.", {}},
        {Activation::Tanh, "tanh", "tanh", "Hyperbolic tangent.", {}},
        {Activation::LeakyRelu, "leaky_relu", "leaky ReLU", "max(0.01 x, x).", {}},
    };
    return table;
}

const std::vector<Choice<InitScheme>>& initChoices()
{
    static const std::vector<Choice<InitScheme>> table{
        {InitScheme::PytorchDefault,
         "pytorch_default",
         "PyTorch default",
         "PyTorch's layer default, kaiming_uniform(a = sqrt 5): U(+-1/sqrt(fan_in)), biases too.",
         {}},
        {InitScheme::LecunNormal, "lecun_normal", "LeCun normal", "N(0, 1/fan_in).", {}},
        {InitScheme::LecunUniform, "lecun_uniform", "LeCun uniform", "U(+-sqrt(3/fan_in)).", {}},
        {InitScheme::XavierNormal, "xavier_normal", "Xavier normal", "N(0, 2/(fan_in + fan_out)).", {}},
        {InitScheme::XavierUniform, "xavier_uniform", "Xavier uniform", "U(+-sqrt(6/(fan_in + fan_out))).", {}},
        {InitScheme::KaimingNormal, "kaiming_normal", "Kaiming normal", "N(0, 2/fan_in).", {}},
        {InitScheme::KaimingUniform, "kaiming_uniform", "Kaiming uniform", "U(+-sqrt(6/fan_in)).", {}},
        {InitScheme::Orthogonal, "orthogonal", "orthogonal", "QR of a Gaussian (C_out x C_in k^2), sign fixed.", {}},
        {InitScheme::FanProductNormal,
         "fan_product_normal",
         "fan-product normal (talk's default)",
         "N(0, 1/(fan_in fan_out)), the talk's \"Default\".",
         {}},
    };
    return table;
}

const std::vector<Choice<OptimizerKind>>& optimizerChoices()
{
    static const std::vector<Choice<OptimizerKind>> table{
        {OptimizerKind::Sgd,
         "sgd",
         "SGD",
         "Stochastic gradient descent with heavy-ball or Nesterov momentum.",
         {S::Lr, S::Momentum, S::Nesterov, S::WeightDecay}},
        {OptimizerKind::Adam,
         "adam",
         "Adam",
         "Adam: beta1 and beta2 decay the gradient's running mean and square.",
         {S::Lr, S::Beta1, S::Beta2, S::WeightDecay}},
        {OptimizerKind::RmsProp,
         "rmsprop",
         "RMSprop",
         "RMSprop: beta2 is the decay (alpha) of the squared gradient's running mean; with momentum.",
         {S::Lr, S::Momentum, S::Beta2, S::WeightDecay}},
        {OptimizerKind::Adagrad,
         "adagrad",
         "Adagrad",
         "Adagrad: each weight's rate shrinks with its summed squared gradients.",
         {S::Lr, S::WeightDecay}},
        {OptimizerKind::Adamax,
         "adamax",
         "Adamax",
         "Adamax: Adam with the infinity norm in place of the squared gradient.",
         {S::Lr, S::Beta1, S::Beta2, S::WeightDecay}},
    };
    return table;
}

const std::vector<Choice<Schedule>>& scheduleChoices()
{
    static const std::vector<Choice<Schedule>> table{
        {Schedule::Step,
         "step",
         "step decay (x0.2 at 30/60/80 %)",
         "The rate drops x0.2 at 30 %, 60 % and 80 % of the steps (the talk's recipe).",
         {}},
        {Schedule::Constant, "constant", "constant", "The rate stays.", {}},
    };
    return table;
}

const std::vector<Choice<ResidualForm>>& residualFormChoices()
{
    static const std::vector<Choice<ResidualForm>> table{
        {ResidualForm::Talk, "talk", "talk: x + f(x)", "x + act(W2 act(W1 x)), the talk slides' block.", {}},
        {ResidualForm::PostActivation,
         "post_activation",
         "post-activation",
         "act(x + W2 act(W1 x)), He et al. 2016 and the Python bench's block.",
         {}},
    };
    return table;
}

const std::vector<Choice<CorrelationKind>>& correlationChoices()
{
    static const std::vector<Choice<CorrelationKind>> table{
        {CorrelationKind::Pearson, "pearson", "Pearson", "Pearson's correlation: both sides centred.", {}},
        {CorrelationKind::Cosine, "cosine", "cosine", "Cosine similarity: not centred.", {}},
    };
    return table;
}

const std::vector<Choice<DevicePreference>>& deviceChoices()
{
    static const std::vector<Choice<DevicePreference>> table{
        {DevicePreference::Auto, "auto", "auto", "CUDA when this build and machine have it, else every CPU core.", {}},
        {DevicePreference::Cpu, "cpu", "CPU", "The CPU, whether or not there is a GPU.", {}},
        {DevicePreference::Cuda, "cuda", "CUDA", "The first CUDA device; refused where there is none.", {}},
    };
    return table;
}

template <>
const std::vector<Choice<Architecture>>& choicesOf<Architecture>()
{
    return architectureChoices();
}
template <>
const std::vector<Choice<Activation>>& choicesOf<Activation>()
{
    return activationChoices();
}
template <>
const std::vector<Choice<InitScheme>>& choicesOf<InitScheme>()
{
    return initChoices();
}
template <>
const std::vector<Choice<OptimizerKind>>& choicesOf<OptimizerKind>()
{
    return optimizerChoices();
}
template <>
const std::vector<Choice<Schedule>>& choicesOf<Schedule>()
{
    return scheduleChoices();
}
template <>
const std::vector<Choice<ResidualForm>>& choicesOf<ResidualForm>()
{
    return residualFormChoices();
}
template <>
const std::vector<Choice<CorrelationKind>>& choicesOf<CorrelationKind>()
{
    return correlationChoices();
}
template <>
const std::vector<Choice<DevicePreference>>& choicesOf<DevicePreference>()
{
    return deviceChoices();
}

template <typename Enum>
const Choice<Enum>& choiceOf(Enum value)
{
    const auto& table = choicesOf<Enum>();
    for (const Choice<Enum>& c : table)
        if (c.value == value) return c;
    return table.front();  // unreachable for a value of the enum: every value has its entry (tst_choices)
}

template <typename Enum>
const Choice<Enum>* findChoice(const std::string& name)
{
    for (const Choice<Enum>& c : choicesOf<Enum>())
        if (name == c.name) return &c;
    return nullptr;
}

template <typename Enum>
std::vector<std::string> choiceNames()
{
    std::vector<std::string> names;
    for (const Choice<Enum>& c : choicesOf<Enum>()) names.push_back(c.name);
    return names;
}

namespace {

// Whether table governs setting (some entry uses it) and, if so, whether chosen uses it.
template <typename Enum>
bool allowedBy(Enum chosen, Setting setting)
{
    bool governed = false;
    for (const Choice<Enum>& c : choicesOf<Enum>()) governed = governed || c.usesSetting(setting);
    return !governed || choiceOf(chosen).usesSetting(setting);
}

// Calls f(key, table) for every table, in the order of the config file's keys.
template <typename F>
void forEachTable(F&& f)
{
    f("architecture", architectureChoices());
    f("activation", activationChoices());
    f("residual_form", residualFormChoices());
    f("init", initChoices());
    f("optimizer", optimizerChoices());
    f("schedule", scheduleChoices());
    f("correlation", correlationChoices());
    f("device", deviceChoices());
}

}  // namespace

bool settingApplies(const ExperimentConfig& c, Setting setting)
{
    // A residual form only matters for a ResNet; the architecture table says which those are.
    return allowedBy(c.architecture, setting) && allowedBy(c.activation, setting) && allowedBy(c.residualForm, setting) &&
           allowedBy(c.init, setting) && allowedBy(c.optimizer, setting) && allowedBy(c.schedule, setting) &&
           allowedBy(c.correlation, setting) && allowedBy(c.device, setting);
}

std::string choicesHelp()
{
    std::ostringstream s;
    forEachTable([&](const char* key, const auto& table) {
        s << "  " << key << ":";
        for (const auto& c : table) s << " " << c.name;
        s << "\n";
    });
    return s.str();
}

std::string choicesMarkdown()
{
    std::ostringstream s;
    s << "| key | value | meaning | uses |\n";
    s << "|---|---|---|---|\n";
    forEachTable([&](const char* key, const auto& table) {
        for (const auto& c : table) {
            s << "| `" << key << "` | `" << c.name << "` | " << c.tooltip << " |";
            for (std::size_t i = 0; i < c.uses.size(); ++i) s << (i == 0 ? " `" : ", `") << configKey(c.uses[i]) << "`";
            s << " |\n";
        }
    });
    return s.str();
}

// The instantiations the rest of the engine, the GUI and the tests use.
#define IL_CHOICE_INSTANTIATIONS(Enum)                                 \
    template const Choice<Enum>& choiceOf<Enum>(Enum);                 \
    template const Choice<Enum>* findChoice<Enum>(const std::string&); \
    template std::vector<std::string> choiceNames<Enum>();
IL_CHOICE_INSTANTIATIONS(Architecture)
IL_CHOICE_INSTANTIATIONS(Activation)
IL_CHOICE_INSTANTIATIONS(InitScheme)
IL_CHOICE_INSTANTIATIONS(OptimizerKind)
IL_CHOICE_INSTANTIATIONS(Schedule)
IL_CHOICE_INSTANTIATIONS(ResidualForm)
IL_CHOICE_INSTANTIATIONS(CorrelationKind)
IL_CHOICE_INSTANTIATIONS(DevicePreference)
#undef IL_CHOICE_INSTANTIATIONS

}  // namespace il
