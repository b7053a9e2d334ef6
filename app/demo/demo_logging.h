#pragma once

#include <QLoggingCategory>

/// Logging category of the demo/test server library ("dash.demo").
Q_DECLARE_LOGGING_CATEGORY(lcDemo)
