#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

/// One piece of terminal output after OSC 8 hyperlinks were taken out: either bytes for the
/// emulator (libvterm) or a hyperlink change (`isLink`: cells written from now on link to `uri`;
/// an empty uri ends the link).
struct Osc8Piece
{
    QByteArrayView bytes; ///< valid until the next feed()/reset() of the scanner that made it
    bool isLink = false;
    QByteArray uri;
};

/// Takes OSC 8 hyperlink sequences (`ESC ] 8 ; params ; URI ST`, ST = `ESC \` or BEL) out of a
/// terminal output stream, so the emulator never sees them and the screen can tag the cells
/// written while a link is open.
///
/// Why not libvterm's OSC fallback: libvterm 0.1.4 collects an OSC string in a 64-byte buffer and
/// silently truncates the rest, so any real URL would arrive cut. Scanning the stream ourselves
/// also keeps the link bookkeeping independent of the emulator.
///
/// Contract: pure (no QObject, no I/O), resumes across chunks: splitting the stream anywhere, even
/// inside `ESC ] 8 ;` or inside ST, yields the same bytes (concatenated) and the same link changes
/// in the same order. Other OSC sequences and everything else pass through untouched. A body longer
/// than MaxBody bytes is dropped (no link change); an `ESC` followed by anything but `\` inside the
/// body abandons the sequence and passes `ESC` and that byte on. Memory: at most MaxBody bytes held.
/// Speed: memchr for ESC over the chunk; bytes without `ESC ] 8 ;` are passed as views, uncopied.
class Osc8Scanner
{
public:
    static constexpr int MaxBody = 8192;

    /// Appends the pieces of `chunk` to `out` (bytes pieces are never empty).
    void feed(QByteArrayView chunk, QList<Osc8Piece> &out);
    /// Forgets a partial sequence.
    void reset();

private:
    void finishBody(QList<Osc8Piece> &out);

    QByteArray m_prefix; ///< held bytes of a possible "ESC ] 8 ;" cut by the chunk end
    QByteArray m_joined; ///< m_prefix + chunk when a prefix was held
    QList<QByteArray> m_owned; ///< bytes re-emitted after an abandoned body
    QByteArray m_body;
    bool m_inBody = false;
    bool m_escInBody = false;
    bool m_overflow = false;
};
