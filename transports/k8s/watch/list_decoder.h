#pragma once

#include "watch_event.h"

#include <QByteArray>
#include <QString>

#include <vector>

/// One page of a LIST response (`{"kind":"PodList","metadata":{"resourceVersion":..,
/// "continue":..},"items":[...]}`). Items carry their JSON (compact) and metadata; their kind is
/// the list's kind minus "List" and is not filled in. Plain value type.
struct ListPage
{
    std::vector<WatchObject> items;
    QByteArray kind;            ///< "PodList" (or "Table" / "Status" when that is what came)
    QByteArray resourceVersion; ///< metadata.resourceVersion: where a watch continues
    QByteArray continueToken;   ///< metadata.continue: non-empty when more pages follow
    QString error;              ///< non-empty: the body is not a list (escaped excerpt)
};

/// Decodes a LIST response body (simdjson On-Demand). Pure.
ListPage parseList(const QByteArray &body);
