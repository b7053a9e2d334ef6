#include "demo_logging.h"

Q_LOGGING_CATEGORY(lcDemo, "dash.demo")
