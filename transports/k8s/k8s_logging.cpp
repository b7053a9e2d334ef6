#include "k8s_logging.h"

Q_LOGGING_CATEGORY(lcK8s, "dash.k8s", QtWarningMsg)
