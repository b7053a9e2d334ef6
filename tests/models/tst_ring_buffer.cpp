#include "ring_buffer.h"

#include <QByteArray>
#include <QTest>

namespace {

template <typename T>
QList<T> contents(const RingBuffer<T> &ring)
{
    QList<T> out;
    for (qsizetype i = 0; i < ring.size(); ++i)
        out.append(ring.at(i));
    return out;
}

} // namespace

class TestRingBuffer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startsEmpty()
    {
        RingBuffer<int> ring(4);
        QCOMPARE(ring.size(), 0);
        QCOMPARE(ring.capacity(), 4);
        QVERIFY(ring.isEmpty());
        QVERIFY(!ring.isFull());
    }

    void capacityIsAtLeastOne()
    {
        RingBuffer<int> ring(0);
        QCOMPARE(ring.capacity(), 1);
        ring.push_back(1);
        ring.push_back(2);
        QCOMPARE(contents(ring), QList<int>({2}));
    }

    void wrapAround_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("pushes");
        QTest::newRow("below capacity") << 5 << 3;
        QTest::newRow("exactly full") << 5 << 5;
        QTest::newRow("one past") << 5 << 6;
        QTest::newRow("many laps") << 5 << 23;
        QTest::newRow("capacity one") << 1 << 7;
    }
    void wrapAround()
    {
        QFETCH(int, capacity);
        QFETCH(int, pushes);
        RingBuffer<int> ring(capacity);
        for (int i = 0; i < pushes; ++i)
            ring.push_back(i);
        const int kept = std::min(capacity, pushes);
        QCOMPARE(ring.size(), kept);
        QList<int> expected;
        for (int i = pushes - kept; i < pushes; ++i)
            expected.append(i);
        QCOMPARE(contents(ring), expected);
        QCOMPARE(ring.front(), pushes - kept);
        QCOMPARE(ring.back(), pushes - 1);
    }

    void popFront_data()
    {
        QTest::addColumn<int>("pushes");
        QTest::addColumn<int>("pops");
        QTest::newRow("while growing") << 3 << 2;
        QTest::newRow("full, not wrapped") << 6 << 4;
        QTest::newRow("wrapped") << 9 << 2;
        QTest::newRow("wrapped, across the seam") << 10 << 5;
        QTest::newRow("zero") << 4 << 0;
        QTest::newRow("everything") << 9 << 6;
        QTest::newRow("more than size") << 9 << 100;
    }
    void popFront()
    {
        QFETCH(int, pushes);
        QFETCH(int, pops);
        constexpr int Capacity = 6;
        RingBuffer<int> ring(Capacity);
        QList<int> model;
        for (int i = 0; i < pushes; ++i) {
            ring.push_back(i);
            model.append(i);
            if (model.size() > Capacity)
                model.removeFirst();
        }
        ring.pop_front(pops);
        model.remove(0, std::min<qsizetype>(pops, model.size()));
        QCOMPARE(contents(ring), model);

        // Refill past the capacity: the logical order must survive the biased head.
        for (int i = 100; i < 100 + 2 * Capacity + 1; ++i) {
            ring.push_back(i);
            model.append(i);
            if (model.size() > Capacity)
                model.removeFirst();
            QCOMPARE(contents(ring), model);
        }
    }

    void popBackAndEraseMatchAList()
    {
        // Every mix of pushes, pops at both ends and middle erases, in the growing and the
        // wrapped phase, against a QList doing the same (deterministic pseudo-random script).
        constexpr int Capacity = 7;
        quint32 state = 12345;
        auto next = [&state](int bound) {
            state = state * 1103515245u + 12345u;
            return int((state >> 16) % quint32(bound));
        };
        for (int round = 0; round < 200; ++round) {
            RingBuffer<int> ring(Capacity);
            QList<int> model;
            int value = 0;
            for (int step = 0; step < 40; ++step) {
                const int op = next(6);
                if (op <= 2) {
                    ring.push_back(value);
                    model.append(value++);
                    if (model.size() > Capacity)
                        model.removeFirst();
                } else if (op == 3) {
                    const int n = next(3);
                    ring.pop_back(n);
                    model.resize(std::max<qsizetype>(0, model.size() - n));
                } else if (op == 4) {
                    const int n = next(3);
                    ring.pop_front(n);
                    model.remove(0, std::min<qsizetype>(n, model.size()));
                } else if (!model.isEmpty()) {
                    const int first = next(int(model.size()));
                    const int count = next(int(model.size()) - first + 1);
                    ring.erase(first, count);
                    model.remove(first, count);
                }
                QCOMPARE(contents(ring), model);
            }
        }
    }

    void eraseMovesTheShorterSide()
    {
        RingBuffer<QByteArray> ring(10);
        for (int i = 0; i < 10; ++i)
            ring.push_back(QByteArray::number(i));
        ring.erase(1, 2); // near the front: 0 moves forward
        QCOMPARE(contents(ring), QList<QByteArray>({"0", "3", "4", "5", "6", "7", "8", "9"}));
        ring.erase(6, 1); // near the back: 9 moves back
        QCOMPARE(contents(ring), QList<QByteArray>({"0", "3", "4", "5", "6", "7", "9"}));
        ring.push_back("10");
        ring.push_back("11");
        ring.push_back("12");
        ring.push_back("13");
        QCOMPARE(contents(ring), QList<QByteArray>({"3", "4", "5", "6", "7", "9", "10", "11", "12", "13"}));
    }

    void popFrontReleasesValues()
    {
        RingBuffer<QByteArray> ring(3);
        QByteArray big(1024, 'x');
        ring.push_back(big);
        QVERIFY(!big.isDetached()); // shared with the ring
        ring.push_back("b");
        ring.pop_front(1);
        QVERIFY(big.isDetached()); // the ring let go of its copy
        QCOMPARE(ring.front(), QByteArray("b"));
    }

    void setCapacity_data()
    {
        QTest::addColumn<int>("pushes");
        QTest::addColumn<int>("newCapacity");
        QTest::newRow("grow, wrapped") << 13 << 10;
        QTest::newRow("shrink, wrapped") << 13 << 2;
        QTest::newRow("shrink below size, growing") << 4 << 3;
        QTest::newRow("shrink above size") << 2 << 4;
        QTest::newRow("to one") << 7 << 1;
    }
    void setCapacity()
    {
        QFETCH(int, pushes);
        QFETCH(int, newCapacity);
        RingBuffer<int> ring(5);
        for (int i = 0; i < pushes; ++i)
            ring.push_back(i);
        const QList<int> before = contents(ring);
        ring.setCapacity(newCapacity);
        QCOMPARE(ring.capacity(), newCapacity);
        const QList<int> expected = before.mid(std::max<qsizetype>(0, before.size() - newCapacity));
        QCOMPARE(contents(ring), expected);
        for (int i = 0; i < newCapacity + 2; ++i)
            ring.push_back(1000 + i);
        QCOMPARE(ring.size(), newCapacity);
        QCOMPARE(ring.back(), 1000 + newCapacity + 1);
        QCOMPARE(ring.front(), 1000 + 2);
    }

    void clearKeepsCapacity()
    {
        RingBuffer<int> ring(3);
        for (int i = 0; i < 5; ++i)
            ring.push_back(i);
        ring.clear();
        QCOMPARE(ring.size(), 0);
        QCOMPARE(ring.capacity(), 3);
        ring.push_back(42);
        QCOMPARE(contents(ring), QList<int>({42}));
    }
};

QTEST_GUILESS_MAIN(TestRingBuffer)
#include "tst_ring_buffer.moc"
