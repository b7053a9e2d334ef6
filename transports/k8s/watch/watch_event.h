#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

/// One Kubernetes object as a watch event or a LIST response carries it: its JSON and the
/// metadata an informer keys and orders by. Plain value type; the byte arrays are implicitly
/// shared. resourceVersion is opaque (compare for equality only, protocols.md 2.1).
struct WatchObject
{
    QByteArray object;            ///< the object's JSON, compact (no whitespace outside strings)
    QByteArray kind;              ///< object.kind when present ("Pod", "Status", "Table")
    QByteArray name;              ///< metadata.name
    QByteArray namespaceName;     ///< metadata.namespace (empty: cluster-scoped)
    QByteArray uid;               ///< metadata.uid
    QByteArray resourceVersion;   ///< metadata.resourceVersion
    QByteArray creationTimestamp; ///< metadata.creationTimestamp (RFC 3339), for an AGE column
    /// metadata.annotations["k8s.io/initial-events-end"] == "true": the bookmark that ends the
    /// initial events of a streaming list (protocols.md 2.4).
    bool initialEventsEnd = false;
    /// Table mode (Informer with table = true): the row's cells as display strings. Empty else.
    QStringList cells;

    /// The informer's store key: "namespace/name", or "name" for cluster-scoped objects.
    QByteArray key() const { return namespaceName.isEmpty() ? name : namespaceName + '/' + name; }
};

/// One event of a watch stream, `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}`
/// (protocols.md 2.2). For ERROR the object is a Status and code/reason/message are its fields;
/// they are empty for every other type.
struct WatchEvent : WatchObject
{
    enum class Type : quint8 { Added, Modified, Deleted, Bookmark, Error, Unknown };

    Type type = Type::Unknown;
    QByteArray typeText; ///< the "type" string as sent (what Unknown was)
    int code = 0;        ///< Status.code (410 for Expired)
    QByteArray reason;   ///< Status.reason ("Expired", "Gone", ...)
    QByteArray message;  ///< Status.message as the server wrote it (escape before showing)

    static Type typeFromText(QByteArrayView text);
};

/// Something the decoder could not turn into an event. `beforeEvent` is the number of events the
/// same feed()/finish() call had appended to its output when the problem was found, so a consumer
/// can keep the stream's order (events [0, beforeEvent) came first).
struct WatchDecodeError
{
    enum class Kind : quint8 {
        BadJson,      ///< not a JSON object (message has an escaped excerpt)
        MissingField, ///< valid JSON without "type", "object" or the metadata the type needs
        TooLarge,     ///< an object exceeded the cap; skipped up to the next newline
        Truncated,    ///< finish(): the body ended inside an object (the partial object is dropped)
    };
    Kind kind = Kind::BadJson;
    QString message;
    qsizetype beforeEvent = 0;
};
