#pragma once

#include "fake_exec_protocol.h"

#include <QList>
#include <QString>
#include <QStringList>

/// One validated pods/{name}/exec|attach|portforward request of the fake cluster, as the
/// session that serves it after the WebSocket upgrade needs it (plain value type).
struct FakeStreamRequest
{
    enum class Kind { Exec, Attach, PortForward };

    Kind kind = Kind::Exec;
    QString ns;
    QString pod;
    QString podUid;
    QString container;
    QStringList command;          ///< exec: argv as the client sent it
    bool stdinOpen = false;
    bool stdoutOpen = false;
    bool stderrOpen = false;      ///< always false with tty (merged into stdout, as the kubelet does)
    bool tty = false;
    bool hasBash = true;          ///< false on "images without bash" (the checkout pods)
    QList<quint16> ports;         ///< portforward, in request order
    QString subprotocol;          ///< the negotiated one ("" = none)
    FakeExecProtocol::Dialect dialect = FakeExecProtocol::Dialect::V4;

    QString key() const { return ns + QLatin1Char('/') + pod + QLatin1Char('/') + container; }
};
