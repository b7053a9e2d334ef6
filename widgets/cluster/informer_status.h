#pragma once

#include "informer.h"

#include <QString>

#include <optional>

/// The one-line status a cluster view shows for its Informer: "listing pods", "watching",
/// "relisting", "forbidden: <server message>", "error: <message> (retrying)". `lastError` is the
/// latest Informer::errorOccurred since the last successful sync (nullopt: none). Pure.
QString informerStatusText(Informer::State state, const QString &plural, const std::optional<K8sError> &lastError);

/// True when the status is a problem the view should show in red (an error is pending).
bool informerStatusIsProblem(Informer::State state, const std::optional<K8sError> &lastError);
