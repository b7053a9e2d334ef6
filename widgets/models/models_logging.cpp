#include "models_logging.h"

Q_LOGGING_CATEGORY(lcModels, "dash.models", QtInfoMsg)
