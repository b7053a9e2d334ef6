#include "panel_kind_registry.h"

void PanelKindRegistry::add(const PanelKind &kind)
{
    for (PanelKind &existing : m_kinds) {
        if (existing.kind == kind.kind) {
            existing = kind;
            return;
        }
    }
    m_kinds.append(kind);
}

const PanelKind *PanelKindRegistry::find(const QString &kind) const
{
    for (const PanelKind &existing : m_kinds)
        if (existing.kind == kind)
            return &existing;
    return nullptr;
}

QStringList PanelKindRegistry::kinds() const
{
    QStringList out;
    for (const PanelKind &kind : m_kinds)
        out.append(kind.kind);
    return out;
}
