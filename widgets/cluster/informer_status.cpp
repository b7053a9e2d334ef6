#include "informer_status.h"

#include <QCoreApplication>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("InformerStatus", text);
}

QString errorText(const K8sError &error)
{
    if (error.kind == K8sError::Kind::Forbidden)
        return tr("forbidden: %1").arg(error.statusMessage.isEmpty() ? error.message : error.statusMessage);
    return error.message.isEmpty() ? K8sError::kindName(error.kind) : error.message;
}

} // namespace

QString informerStatusText(Informer::State state, const QString &plural, const std::optional<K8sError> &lastError)
{
    switch (state) {
    case Informer::State::Idle:
        return QString();
    case Informer::State::Listing:
        if (lastError && lastError->kind == K8sError::Kind::Gone)
            return tr("relisting after 410");
        return tr("listing %1").arg(plural);
    case Informer::State::Watching:
        return tr("watching");
    case Informer::State::Waiting:
    case Informer::State::Failed:
        if (!lastError)
            return tr("waiting to watch again");
        if (lastError->kind == K8sError::Kind::Forbidden)
            return errorText(*lastError);
        return tr("error: %1 (retrying)").arg(errorText(*lastError));
    }
    return QString();
}

bool informerStatusIsProblem(Informer::State state, const std::optional<K8sError> &lastError)
{
    return lastError && lastError->kind != K8sError::Kind::Gone
        && (state == Informer::State::Waiting || state == Informer::State::Failed);
}
