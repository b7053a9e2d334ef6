#pragma once

#include <QLoggingCategory>

/// Logging category of the dash_models library ("dash.models").
Q_DECLARE_LOGGING_CATEGORY(lcModels)
