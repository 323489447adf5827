#pragma once

// Internal to the table model: the one-pass JSON reader behind TableModelParser::parse(), which
// finds duplicate keys and keeps the exact text of numbers, and the "line:column" of a byte.

#include "model/schema/tablemodelfile.h"

#include <QByteArrayView>

namespace tablemodelfile {

/// Reads the text into a DOM in one pass, in time linear in its size: nlohmann's own DOM
/// parser looks every member up in the ordered_json object it appends to, which is quadratic
/// in the number of members (120,000 fields took most of a minute). Syntax errors keep their
/// byte position; a duplicate key (which a DOM parse would silently collapse) is reported with
/// its JSON pointer; the exact text of every number that is not a plain integer is kept by
/// pointer, so defaults keep it ("1.50", "-0").
class DocumentBuilder
{
    static constexpr std::size_t kScanLimit = 16;

public:
    explicit DocumentBuilder(Json &root) : m_root(root) {}

    bool null() { return put(Json(nullptr)); }
    bool boolean(bool b) { return put(Json(b)); }
    bool number_integer(Json::number_integer_t n)
    {
        // Without a minus sign nlohmann reports an unsigned number: a signed zero is "-0".
        if (n == 0)
            m_numberTexts.insert(pointer(true), "-0");
        return put(Json(n));
    }
    bool number_unsigned(Json::number_unsigned_t n) { return put(Json(n)); }
    bool number_float(Json::number_float_t x, const Json::string_t &text)
    {
        m_numberTexts.insert(pointer(true), text);
        return put(Json(x));
    }
    bool string(Json::string_t &s) { return put(Json(std::move(s))); }
    bool binary(Json::binary_t &) { return put(Json(nullptr)); }
    bool start_object(std::size_t)
    {
        Json *j = put(Json::object());
        m_stack.push_back(Frame{j, false, 0, {}});
        return true;
    }
    bool key(Json::string_t &key)
    {
        Frame &frame = m_stack.back();
        // Most objects have a few members: a new key is compared with them directly. Larger
        // objects are checked once, when they end.
        bool duplicate = false;
        if (frame.members.size() < kScanLimit) {
            for (const auto &member : frame.members)
                duplicate = duplicate || member.first == key;
        }
        if (duplicate) {
            m_duplicate = fromStd(key);
            frame.members.emplace_back(std::move(key), Json());
            m_duplicatePointer = pointer(false);
            return false;
        }
        frame.members.emplace_back(std::move(key), Json());
        return true;
    }
    bool end_object()
    {
        Frame &frame = m_stack.back();
        if (frame.members.size() > kScanLimit) {
            std::vector<std::size_t> order(frame.members.size());
            for (std::size_t i = 0; i < order.size(); ++i)
                order[i] = i;
            const auto &members = frame.members;
            std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                return members[a].first < members[b].first;
            });
            for (std::size_t i = 1; i < order.size(); ++i) {
                const std::string &key = members[order[i]].first;
                if (key == members[order[i - 1]].first) {
                    m_duplicate = fromStd(key);
                    // Named at its second place, as a check at the key itself would.
                    const std::size_t second = std::max(order[i], order[i - 1]);
                    frame.members.resize(second + 1);
                    m_duplicatePointer = pointer(false);
                    return false;
                }
            }
        }
        // The members move into the object at once: ordered_json's vector holds const keys, so
        // growing it one member at a time would copy every value (and its subtree) it holds.
        auto &object = frame.json->get_ref<Json::object_t &>();
        object.reserve(frame.members.size());
        for (auto &[key, value] : frame.members)
            object.Json::object_t::Container::emplace_back(std::move(key), std::move(value));
        m_stack.pop_back();
        return true;
    }
    bool start_array(std::size_t)
    {
        Json *j = put(Json::array());
        m_stack.push_back(Frame{j, true, 0, {}});
        return true;
    }
    bool end_array()
    {
        m_stack.pop_back();
        return true;
    }
    bool parse_error(std::size_t position, const std::string &lastToken,
                     const nlohmann::detail::exception &ex)
    {
        m_errorPosition = position;
        if (ex.id == 406) { // out_of_range: a number too large for a double
            m_errorMessage = QStringLiteral("the number %1 is out of range (DynamoDB numbers "
                                            "have a magnitude from 1E-130 to 9.99E+125)")
                                 .arg(excerptUtf8(lastToken));
            return false;
        }
        QString what = QString::fromUtf8(ex.what());
        // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error
        // while parsing value - unexpected '}'; expected ..." -> "unexpected '}'; expected ..."
        const qsizetype colon = what.indexOf(QStringLiteral(": "));
        if (colon >= 0)
            what = what.mid(colon + 2);
        const qsizetype dash = what.indexOf(QStringLiteral(" - "));
        if (what.startsWith(QStringLiteral("syntax error")) && dash >= 0)
            what = what.mid(dash + 3);
        m_errorMessage = excerpt(what);
        return false;
    }

    /// The exact text of a number at a JSON pointer, when it is not a plain integer.
    const std::string *numberText(const QString &pointer) const
    {
        const auto it = m_numberTexts.constFind(pointer);
        return it == m_numberTexts.cend() ? nullptr : &it.value();
    }

    std::size_t m_errorPosition = std::string::npos;
    QString m_errorMessage;
    QString m_duplicate;
    QString m_duplicatePointer;

private:
    struct Frame
    {
        Json *json;
        bool isArray;
        std::size_t count;
        std::vector<std::pair<std::string, Json>> members; ///< an object's, until it ends
    };

    /// Places a value where the parser is: the root, the member just named, or the next item.
    Json *put(Json &&value)
    {
        if (m_stack.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        Frame &frame = m_stack.back();
        if (frame.isArray) {
            ++frame.count;
            auto &items = frame.json->get_ref<Json::array_t &>();
            items.push_back(std::move(value));
            return &items.back();
        }
        Json &member = frame.members.back().second;
        member = std::move(value);
        return &member;
    }

    /// The JSON pointer of the current position; `value`: of the value about to be put.
    QString pointer(bool value) const
    {
        QString result;
        for (const Frame &frame : m_stack) {
            if (frame.isArray) {
                const bool last = &frame == &m_stack.back();
                result = pointerChild(result, last && value ? frame.count : frame.count - 1);
            } else {
                result = pointerChild(result, fromStd(frame.members.back().first));
            }
        }
        return result;
    }

    Json &m_root;
    std::vector<Frame> m_stack;
    QHash<QString, std::string> m_numberTexts;
};

/// "line:column" (both from 1) of a byte position as nlohmann reports it: 1-based, the byte
/// that could not be read, one past the end when the input ended too early.
inline QString lineColumn(QByteArrayView text, std::size_t position)
{
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i + 1 < position; ++i) {
        if (i < std::size_t(text.size()) && text[qsizetype(i)] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("%1:%2").arg(line).arg(column);
}

} // namespace tablemodelfile
