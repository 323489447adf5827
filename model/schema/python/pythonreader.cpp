// The Python model reader: the classes of a file, their roles (TableDataModel, MapModel), the
// fields their bodies declare, the PrimaryIndex/GlobalSecondaryIndex calls anywhere in the file,
// and the table model document built from them; PythonModel::read and readFile.

#include "model/schema/python/pythonreader.h"

#include <QFile>
#include <QFileInfo>

namespace pythonmodel {

Result<PythonModel> Reader::read(const QByteArray &bytes)
{
    m_source = QString::fromUtf8(bytes);
    Lexer lexer(m_source);
    if (auto f = lexer.run(m_lines))
        return error(*f);
    std::size_t i = 0;
    if (!m_lines.empty()) {
        if (m_lines.front().indent > 0)
            return error({m_lines.front().line,
                          QStringLiteral("unexpected indentation (Python refuses this line too)")});
        if (auto f = buildBlocks(m_lines, i, 0, m_statements))
            return error(*f);
    }
    if (auto f = collect(m_statements, nullptr, false))
        return error(*f);
    for (auto &c : m_classes) {
        if (auto f = resolveRole(*c))
            return error(*f);
    }
    for (auto &c : m_classes) {
        if (c->isModel()) {
            if (auto f = readBody(*c))
                return error(*f);
        }
    }
    if (auto f = scanCalls())
        return error(*f);
    return build();
}

Error Reader::error(const Failure &f) const
{
    return makeError(ErrorKind::Invalid, f.message,
                     f.line > 0 ? QStringLiteral("%1:%2").arg(m_fileName).arg(f.line) : m_fileName);
}

QString Reader::textOf(const std::vector<Token> &tokens, std::size_t begin, std::size_t end) const
{
    if (begin >= end)
        return {};
    return simplify(m_source.mid(tokens[begin].begin, tokens[end - 1].end - tokens[begin].begin));
}

/// Parses the whole token range as one expression.
std::unique_ptr<Expr> Reader::parseAll(const std::vector<Token> &tokens, std::size_t begin,
                                       std::size_t end)
{
    ExprParser parser(tokens, begin, end);
    auto e = parser.expression();
    if (!e || !parser.atEnd())
        return nullptr;
    return e;
}

std::optional<Failure> Reader::collect(const std::vector<Statement> &statements, ClassInfo *outer,
                                       bool inFunction)
{
    for (const Statement &s : statements) {
        const auto &t = s.line->tokens;
        if (t.front().name(u"class")) {
            auto info = std::make_unique<ClassInfo>();
            ClassInfo *c = info.get();
            if (t.size() < 3 || t[1].type != TokenType::Name)
                return Failure{s.line->line, QStringLiteral("a class statement is not understood")};
            c->name = t[1].text;
            c->qualified = outer ? outer->qualified + u'.' + c->name : c->name;
            c->line = s.line->line;
            c->outer = outer;
            c->inFunction = inFunction;
            std::size_t i = 2;
            if (t[i].op(u"(")) {
                const std::size_t close = closingBracket(t, i, t.size());
                std::size_t a = i + 1;
                while (a < close) {
                    const std::size_t e = argumentEnd(t, a, close);
                    if (e > a &&
                        !(e - a >= 2 && t[a].type == TokenType::Name && t[a + 1].op(u"="))) {
                        auto base = parseAll(t, a, e);
                        if (!base || base->kind != Expr::Kind::Name)
                            return Failure{
                                s.line->line,
                                QStringLiteral("the base class %1 of %2 is not understood")
                                    .arg(textOf(t, a, e), c->name)};
                        c->bases.push_back(std::move(base));
                    }
                    a = e + 1;
                }
                i = close + 1;
            }
            if (i >= t.size() || !t[i].op(u":"))
                return Failure{s.line->line, QStringLiteral("a class statement is not understood")};
            if (i + 1 < t.size()) {
                // "class X(MapModel): pass" on one line: the rest is the body.
                m_inlineBodies.push_back(std::make_unique<Line>());
                Line *body = m_inlineBodies.back().get();
                body->indent = s.line->indent + 1;
                body->line = s.line->line;
                body->tokens.assign(t.begin() + qsizetype(i) + 1, t.end());
                m_inlineStatements.push_back(std::make_unique<Statement>());
                m_inlineStatements.back()->line = body;
                c->body.push_back(m_inlineStatements.back().get());
            }
            for (const Statement &b : s.body)
                c->body.push_back(&b);
            if (outer)
                outer->nested.push_back(c);
            m_classes.push_back(std::move(info));
            if (auto f = collect(s.body, c, inFunction))
                return f;
            continue;
        }
        const bool function = t.front().name(u"def") ||
                              (t.front().name(u"async") && t.size() > 1 && t[1].name(u"def"));
        if (auto f = collect(s.body, function ? nullptr : outer, inFunction || function))
            return f;
    }
    return std::nullopt;
}

/// The class a (dotted) name means where `scope`'s body is read, as Python resolves it:
/// the classes of that body defined before `line`, then module-level classes.
ClassInfo *Reader::resolveClass(const QString &dotted, const ClassInfo *scope, int line) const
{
    const QStringList parts = dotted.split(u'.');
    ClassInfo *found = nullptr;
    if (scope) {
        for (ClassInfo *n : scope->nested) {
            if (n->name == parts.front() && n->line < line)
                found = n;
        }
    }
    if (!found) {
        for (const auto &c : m_classes) {
            if (!c->outer && !c->inFunction && c->name == parts.front() && c->line < line)
                found = c.get();
        }
    }
    for (qsizetype i = 1; found && i < parts.size(); ++i) {
        ClassInfo *next = nullptr;
        for (ClassInfo *n : found->nested) {
            if (n->name == parts[i])
                next = n;
        }
        found = next;
    }
    return found;
}

std::optional<Failure> Reader::resolveRole(ClassInfo &c)
{
    if (c.role == ClassInfo::Role::Resolving)
        return Failure{c.line, QStringLiteral("the class %1 derives from itself").arg(c.name)};
    if (c.role != ClassInfo::Role::Unknown)
        return std::nullopt;
    c.role = ClassInfo::Role::Resolving;
    ClassInfo::Role role = ClassInfo::Role::Other;
    QStringList unknown;
    for (const auto &base : c.bases) {
        ClassInfo *b = resolveClass(base->text, c.outer, c.line);
        if (b) {
            if (auto f = resolveRole(*b))
                return f;
            if (b->role == ClassInfo::Role::Table)
                role = ClassInfo::Role::Table;
            else if (b->role == ClassInfo::Role::Map && role != ClassInfo::Role::Table)
                role = ClassInfo::Role::Map;
            else if (b->role == ClassInfo::Role::Other)
                unknown << base->text;
            continue;
        }
        const QString last = base->lastName();
        if (last == u"TableDataModel")
            role = ClassInfo::Role::Table;
        else if (last == u"MapModel" && role != ClassInfo::Role::Table)
            role = ClassInfo::Role::Map;
        else
            unknown << base->text;
    }
    c.role = role;
    if (c.isModel() && !unknown.isEmpty())
        return Failure{
            c.line,
            QStringLiteral("the model class %1 also derives from %2, whose fields cannot be "
                           "read from this file")
                .arg(c.name, unknown.join(QStringLiteral(", ")))};
    return std::nullopt;
}

std::optional<Failure> Reader::readBody(ClassInfo &c)
{
    for (const Statement *s : c.body) {
        const auto &t = s->line->tokens;
        const int line = s->line->line;
        if (t.front().name(u"class"))
            continue; // nested classes are read on their own
        if (t.front().op(u"@"))
            continue; // decorators of methods
        if (t.front().name(u"def") ||
            (t.front().name(u"async") && t.size() > 1 && t[1].name(u"def"))) {
            const std::size_t nameAt = t.front().name(u"def") ? 1 : 2;
            if (nameAt < t.size() && t[nameAt].name(u"__setup__"))
                return Failure{
                    line,
                    QStringLiteral("%1.__setup__ adds fields with Python code, which cannot be "
                                   "read; declare them with BaseField(...)")
                        .arg(c.name)};
            continue; // methods declare no fields
        }
        if (t.size() == 1 && (t.front().name(u"pass") || t.front().op(u"...") ||
                              t.front().type == TokenType::String))
            continue;
        if (t.front().type == TokenType::String) {
            bool allStrings = true;
            for (const Token &x : t)
                allStrings = allStrings && x.type == TokenType::String;
            if (allStrings)
                continue; // a docstring
        }
        // name = BaseField(...)   or   name: annotation = BaseField(...)
        std::size_t valueAt = 0;
        if (t.size() >= 3 && t[0].type == TokenType::Name && t[1].op(u"=")) {
            valueAt = 2;
        } else if (t.size() >= 3 && t[0].type == TokenType::Name && t[1].op(u":")) {
            int depth = 0;
            for (std::size_t k = 2; k < t.size() && valueAt == 0; ++k) {
                if (t[k].op(u"(") || t[k].op(u"[") || t[k].op(u"{"))
                    ++depth;
                else if (t[k].op(u")") || t[k].op(u"]") || t[k].op(u"}"))
                    --depth;
                else if (t[k].op(u"=") && depth == 0)
                    valueAt = k + 1;
            }
        }
        if (valueAt == 0)
            return Failure{line,
                           QStringLiteral("\"%1\" is not understood in the model class %2; a model "
                                          "class declares its fields as name = BaseField(...)")
                               .arg(textOf(t, 0, t.size()), c.name)};
        auto value = parseAll(t, valueAt, t.size());
        if (!value && valueAt + 1 < t.size() && t[valueAt].name(u"BaseField") &&
            t[valueAt + 1].op(u"(")) {
            // Name the argument that cannot be read.
            const std::size_t close = closingBracket(t, valueAt + 1, t.size());
            for (std::size_t a = valueAt + 2; a < close;) {
                const std::size_t e = argumentEnd(t, a, close);
                const std::size_t from =
                    (e - a >= 2 && t[a].type == TokenType::Name && t[a + 1].op(u"=")) ? a + 2 : a;
                if (from >= e || !parseAll(t, from, e))
                    return Failure{t[a].line,
                                   QStringLiteral("%1 is not understood").arg(textOf(t, a, e))};
                a = e + 1;
            }
        }
        if (!value || value->kind != Expr::Kind::Call || value->base->lastName() != u"BaseField")
            return Failure{
                line,
                QStringLiteral("%1 = %2 is not understood in the model class %3; a model class "
                               "declares its fields as name = BaseField(...)")
                    .arg(t[0].text, textOf(t, valueAt, t.size()), c.name)};
        const Expr *call = value.get();
        m_exprs.push_back(std::move(value));
        FieldDecl decl{t[0].text, line, call, &c};
        auto same = std::find_if(c.fields.begin(), c.fields.end(),
                                 [&](const FieldDecl &d) { return d.attribute == decl.attribute; });
        if (same != c.fields.end())
            *same = decl; // reassigned: Python keeps the last value at the first place
        else
            c.fields.push_back(decl);
    }
    return std::nullopt;
}

std::optional<Failure> Reader::scanCalls()
{
    for (const Line &l : m_lines) {
        const auto &t = l.tokens;
        // Group the keywords of each call by the bracket that holds them.
        std::vector<std::size_t> open;
        QHash<std::size_t, QString> tableNames;
        QHash<std::size_t, QString> dataModels;
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (t[i].op(u"(") || t[i].op(u"[") || t[i].op(u"{")) {
                open.push_back(i);
                continue;
            }
            if (t[i].op(u")") || t[i].op(u"]") || t[i].op(u"}")) {
                if (!open.empty())
                    open.pop_back();
                continue;
            }
            const std::size_t holder = open.empty() ? std::size_t(-1) : open.back();
            if (t[i].type == TokenType::Name && i + 2 < t.size() && t[i + 1].op(u"=")) {
                if (t[i].text == u"table_name" && t[i + 2].type == TokenType::String &&
                    !t[i + 2].isFString)
                    tableNames.insert(holder, t[i + 2].text);
                else if (t[i].text == u"data_model" && t[i + 2].type == TokenType::Name)
                    dataModels.insert(holder, t[i + 2].text);
            }
            if (t[i].type != TokenType::Name || i + 1 >= t.size() || !t[i + 1].op(u"("))
                continue;
            const QString callee = t[i].text;
            if (callee != u"PrimaryIndex" && callee != u"GlobalSecondaryIndex")
                continue;
            if (i > 0 && (t[i - 1].name(u"import") || t[i - 1].op(u",")) && t.front().name(u"from"))
                continue;
            std::size_t start = i;
            while (start >= 2 && t[start - 1].op(u".") && t[start - 2].type == TokenType::Name)
                start -= 2;
            const std::size_t close = closingBracket(t, i + 1, t.size());
            auto call = parseAll(t, start, std::min(close + 1, t.size()));
            if (!call)
                return Failure{t[i].line,
                               QStringLiteral("%1 is not understood")
                                   .arg(textOf(t, start, std::min(close + 1, t.size())))};
            auto index = indexCall(*call, callee == u"PrimaryIndex");
            if (!index)
                return index.error();
            (callee == u"PrimaryIndex" ? m_primary : m_secondary).push_back(*index);
        }
        for (auto it = dataModels.cbegin(); it != dataModels.cend(); ++it) {
            m_dataModelNames.insert(it.value());
            if (tableNames.contains(it.key()))
                m_tableNames.insert(it.value(), tableNames.value(it.key()));
        }
        for (auto it = tableNames.cbegin(); it != tableNames.cend(); ++it) {
            if (!m_anyTableNames.contains(it.value()))
                m_anyTableNames << it.value();
        }
    }
    return std::nullopt;
}

Reader::IndexResult Reader::indexCall(const Expr &call, bool primary)
{
    IndexCall out;
    out.line = call.line;
    auto fail = [&](int line, const QString &message) {
        return IndexResult{std::nullopt, Failure{line, message}};
    };
    const QString callee =
        primary ? QStringLiteral("PrimaryIndex") : QStringLiteral("GlobalSecondaryIndex");
    if (!call.items.empty())
        return fail(
            call.line,
            QStringLiteral("%1 takes keyword arguments here (%2)").arg(callee, textOf(call)));
    for (std::size_t k = 0; k < call.keywords.size(); ++k) {
        const QString &name = call.keywords[k].first;
        const Expr &v = *call.keywords[k].second;
        const int line = call.keywordLines[k];
        auto text = [&]() -> std::optional<QString> {
            if (v.kind == Expr::Kind::String && !v.fstring)
                return v.text;
            return std::nullopt;
        };
        auto keyType = [&]() -> std::optional<QString> {
            if (v.kind != Expr::Kind::Name)
                return std::nullopt;
            const QString t = v.lastName();
            if (t == u"str" || t == u"int" || t == u"float")
                return t;
            return std::nullopt;
        };
        if (name == u"hash_key_name" || name == u"sort_key_name" || name == u"index_custom_name" ||
            name == u"projection_type") {
            const auto s = text();
            if (!s)
                return fail(line, QStringLiteral("%1=%2 is not understood; it takes a string")
                                      .arg(name, textOf(v)));
            if (name == u"hash_key_name")
                out.hashKey = *s;
            else if (name == u"sort_key_name")
                out.sortKey = *s;
            else if (name == u"index_custom_name")
                out.name = *s;
            else
                out.projection = *s;
        } else if (name == u"hash_key_variable_python_type" ||
                   name == u"sort_key_variable_python_type") {
            const auto t = keyType();
            if (!t)
                return fail(line, QStringLiteral(
                                      "%1=%2 is not understood; a key type is str, int or float in "
                                      "StructDesk's models")
                                      .arg(name, textOf(v)));
            (name == u"hash_key_variable_python_type" ? out.hashKeyType : out.sortKeyType) = *t;
        } else if (name == u"non_key_attributes" && !primary) {
            if (v.kind != Expr::Kind::List && v.kind != Expr::Kind::Tuple)
                return fail(line, QStringLiteral(
                                      "non_key_attributes=%1 is not understood; it takes a list of "
                                      "strings")
                                      .arg(textOf(v)));
            for (const auto &item : v.items) {
                if (item->kind != Expr::Kind::String)
                    return fail(
                        line,
                        QStringLiteral("non_key_attributes=%1 is not understood; it takes a list "
                                       "of strings")
                            .arg(textOf(v)));
                out.nonKeyAttributes << item->text;
            }
        } else {
            return fail(line, QStringLiteral("%1 has no parameter %2 that StructDesk understands")
                                  .arg(callee, name));
        }
    }
    if (out.hashKey.isEmpty())
        return fail(call.line, QStringLiteral("%1(...) has no hash_key_name").arg(callee));
    if (out.hashKeyType.isEmpty())
        out.hashKeyType = QStringLiteral("str");
    if (!out.sortKey.isEmpty() && out.sortKeyType.isEmpty())
        out.sortKeyType = QStringLiteral("str");
    if (!primary) {
        if (out.projection.isEmpty())
            out.projection = QStringLiteral("ALL");
        if (out.projection != u"ALL" && out.projection != u"KEYS_ONLY" &&
            out.projection != u"INCLUDE")
            return fail(call.line,
                        QStringLiteral("projection_type=%1 is not one of ALL, KEYS_ONLY, INCLUDE")
                            .arg(quoted(out.projection)));
        if (!out.nonKeyAttributes.isEmpty() && out.projection != u"INCLUDE")
            return fail(call.line,
                        QStringLiteral("non_key_attributes needs projection_type='INCLUDE' "
                                       "(StructNoSQL raises otherwise)"));
    }
    return IndexResult{out, {}};
}

/// The TableDataModel class to read: --table-class, the only one, or the one a table client
/// uses; a note says which when it had to choose.
Result<const ClassInfo *> Reader::chooseTable(QStringList &notes) const
{
    // The table class.
    std::vector<const ClassInfo *> tables;
    for (const auto &c : m_classes) {
        if (c->role == ClassInfo::Role::Table && !c->inFunction)
            tables.push_back(c.get());
    }
    if (tables.empty())
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral(
                "no class derives from TableDataModel, so there is no table model to read"),
            m_fileName);
    const ClassInfo *table = nullptr;
    QStringList names;
    for (const ClassInfo *t : tables)
        names << t->qualified;
    if (!m_options.tableClass.isEmpty()) {
        for (const ClassInfo *t : tables) {
            if (t->qualified == m_options.tableClass || t->name == m_options.tableClass)
                table = t;
        }
        if (!table)
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("there is no TableDataModel class %1; the file has %2")
                                 .arg(m_options.tableClass, names.join(QStringLiteral(", "))),
                             m_fileName);
    } else if (tables.size() == 1) {
        table = tables.front();
    } else {
        std::vector<const ClassInfo *> used;
        for (const ClassInfo *t : tables) {
            if (m_tableNames.contains(t->name) || m_dataModelNames.contains(t->name))
                used.push_back(t);
        }
        if (used.size() != 1)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("%1 classes derive from TableDataModel (%2); choose one with "
                               "--table-class NAME")
                    .arg(tables.size())
                    .arg(names.join(QStringLiteral(", "))),
                m_fileName);
        table = used.front();
        notes << QStringLiteral("read %1, the table model a table client uses, out of %2")
                     .arg(table->name, names.join(QStringLiteral(", ")));
    }
    return table;
}

/// The PrimaryIndex call of the table (nullptr without one); calls that disagree are told
/// apart by the hash key the table declares.
Result<const Reader::IndexCall *> Reader::choosePrimary(const Json &fields,
                                                        const ClassInfo *table) const
{
    const IndexCall *primary = nullptr;
    if (!m_primary.empty()) {
        std::vector<const IndexCall *> distinct;
        for (const IndexCall &p : m_primary) {
            if (std::none_of(distinct.begin(), distinct.end(),
                             [&](const IndexCall *d) { return *d == p; }))
                distinct.push_back(&p);
        }
        if (distinct.size() > 1) {
            std::vector<const IndexCall *> matching;
            for (const IndexCall *p : distinct) {
                if (fields.contains(toStd(p->hashKey)))
                    matching.push_back(p);
            }
            if (matching.size() != 1) {
                QStringList lines;
                for (const IndexCall *p : distinct)
                    lines << QString::number(p->line);
                return makeError(
                    ErrorKind::Invalid,
                    QStringLiteral(
                        "the PrimaryIndex calls on lines %1 disagree and none matches %2 "
                        "alone")
                        .arg(lines.join(QStringLiteral(", ")), table->name),
                    m_fileName);
            }
            distinct = matching;
        }
        primary = distinct.front();
    }
    return primary;
}

/// The hash key and its type: the PrimaryIndex's, or the first field's; the key field, when
/// declared, must be required and of the key's type.
Result<Reader::HashKey> Reader::hashKeyOf(const IndexCall *primary, const Json &fields,
                                          const std::vector<std::pair<QString, int>> &order,
                                          const ClassInfo *table, QStringList &notes) const
{
    QString hashKey;
    QString hashKeyType;
    int hashLine = 0;
    if (primary) {
        hashKey = primary->hashKey;
        hashKeyType = primary->hashKeyType;
        hashLine = primary->line;
    } else {
        if (order.empty())
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral(
                    "%1 declares no field and the file has no PrimaryIndex(...): the hash "
                    "key is unknown")
                    .arg(table->name),
                m_fileName);
        hashKey = order.front().first;
        const Json &first = fields.at(toStd(hashKey));
        hashKeyType = first["type"].is_string()
                          ? QString::fromStdString(first["type"].get<std::string>())
                          : QString();
        if (hashKeyType != u"str" && hashKeyType != u"int" && hashKeyType != u"float")
            return error(
                {order.front().second,
                 QStringLiteral(
                     "the file has no PrimaryIndex(...), so the first field, %1, is the hash "
                     "key "
                     "(as StructNoSQL's documentation says); a hash key is str, int or float")
                     .arg(hashKey)});
        notes << QStringLiteral(
                     "the file has no PrimaryIndex(...): the hash key is %1, the first field of "
                     "%2, as StructNoSQL's documentation asks")
                     .arg(hashKey, table->name);
    }
    // The key field, when declared, must be required and of the key's type.
    for (const auto &[name, line] : order) {
        if (name != hashKey)
            continue;
        const Json &field = fields.at(toStd(name));
        if (!field.contains("required"))
            return error(
                {line,
                 QStringLiteral("the hash key %1%2 must be declared with required=True")
                     .arg(name, hashLine ? QStringLiteral(" (PrimaryIndex, line %1)").arg(hashLine)
                                         : QString())});
        if (!field["type"].is_string() ||
            QString::fromStdString(field["type"].get<std::string>()) != hashKeyType)
            return error(
                {line, QStringLiteral("the hash key %1 is declared %2 but the PrimaryIndex says %3")
                           .arg(name, QString::fromStdString(field["type"].dump()), hashKeyType)});
    }
    if (!fields.contains(toStd(hashKey)))
        notes << QStringLiteral(
                     "%1 does not declare the hash key %2; the model declares it (required, %3)")
                     .arg(table->name, hashKey, hashKeyType);

    return HashKey{hashKey, hashKeyType};
}

/// The table's name: table_name= next to data_model=, the only table_name= of the file, or
/// the class name (a note says so when a table_name= is not a valid DynamoDB name).
QString Reader::tableNameOf(const ClassInfo *table, QStringList &notes) const
{
    QString tableName = m_tableNames.value(table->name);
    if (tableName.isEmpty() && m_anyTableNames.size() == 1)
        tableName = m_anyTableNames.front();
    if (tableName.isEmpty() || !TableModel::checkTableName(tableName).isEmpty()) {
        const QString fallback =
            table->name.size() >= 3
                ? table->name
                : table->name + QStringLiteral("___").left(3 - table->name.size());
        if (!tableName.isEmpty())
            notes << QStringLiteral(
                         "the table name %1 is not a valid DynamoDB name; the model is named %2")
                         .arg(quoted(tableName), fallback);
        tableName = fallback;
    }
    return tableName;
}

/// The GlobalSecondaryIndex calls, each once, as the model file's secondaryIndexes.
Json Reader::secondaryIndexesJson() const
{
    std::vector<const IndexCall *> secondary;
    for (const IndexCall &g : m_secondary) {
        if (std::none_of(secondary.begin(), secondary.end(),
                         [&](const IndexCall *d) { return *d == g; }))
            secondary.push_back(&g);
    }
    Json list = Json::array();
    for (const IndexCall *g : secondary) {
        Json index = Json::object();
        if (!g->name.isEmpty())
            index["name"] = toStd(g->name);
        index["hashKey"] = toStd(g->hashKey);
        index["hashKeyType"] = toStd(g->hashKeyType);
        if (!g->sortKey.isEmpty()) {
            index["sortKey"] = toStd(g->sortKey);
            index["sortKeyType"] = toStd(g->sortKeyType);
        }
        index["projection"] = toStd(g->projection);
        if (!g->nonKeyAttributes.isEmpty()) {
            Json attributes = Json::array();
            for (const QString &a : g->nonKeyAttributes)
                attributes.push_back(toStd(a));
            index["nonKeyAttributes"] = std::move(attributes);
        }
        list.push_back(std::move(index));
    }
    return list;
}

/// Every MapModel reached, each once (recursion included).
std::optional<Failure> Reader::modelsJson(Json &models)
{
    models = Json::object();
    for (std::size_t i = 0; i < m_modelQueue.size(); ++i) {
        const ClassInfo *c = m_modelQueue[i];
        Json modelFields;
        if (auto f = fieldsJson(c, modelFields, nullptr))
            return f;
        Json entry = Json::object();
        entry["fields"] = std::move(modelFields);
        models[toStd(m_modelNames.value(c))] = std::move(entry);
    }

    return std::nullopt;
}

Result<PythonModel> Reader::build()
{
    PythonModel result;
    auto table = chooseTable(result.notes);
    if (!table)
        return table.error();
    result.tableClass = (*table)->qualified;

    Json fields;
    std::vector<std::pair<QString, int>> order;
    if (auto f = fieldsJson(*table, fields, &order))
        return error(*f);

    auto primary = choosePrimary(fields, *table);
    if (!primary)
        return primary.error();
    auto key = hashKeyOf(*primary, fields, order, *table, result.notes);
    if (!key)
        return key.error();

    Json document = Json::object();
    document["table"] = toStd(tableNameOf(*table, result.notes));
    Json primaryJson = Json::object();
    primaryJson["hashKey"] = toStd(key->name);
    primaryJson["hashKeyType"] = toStd(key->type);
    if (*primary && !(*primary)->sortKey.isEmpty()) {
        primaryJson["sortKey"] = toStd((*primary)->sortKey);
        primaryJson["sortKeyType"] = toStd((*primary)->sortKeyType);
    }
    document["primaryIndex"] = std::move(primaryJson);
    if (Json list = secondaryIndexesJson(); !list.empty())
        document["secondaryIndexes"] = std::move(list);
    document["fields"] = std::move(fields);

    Json models;
    if (auto f = modelsJson(models))
        return error(*f);
    if (!models.empty())
        document["models"] = std::move(models);

    const QByteArray text = QByteArray::fromStdString(document.dump(2));
    auto model = TableModel::fromJson(text, m_fileName);
    if (!model) {
        Error e = model.error();
        e.message = QStringLiteral("the model read from the file is refused: %1").arg(e.message);
        return e;
    }
    result.model = *model;
    result.modelJson = (*model)->toJson();
    return result;
}

} // namespace pythonmodel

using pythonmodel::Reader;

Result<PythonModel> PythonModel::read(const QByteArray &source, const QString &fileName,
                                      const Options &options)
{
    Reader reader(fileName, options);
    return reader.read(source);
}

Result<PythonModel> PythonModel::readFile(const QString &path, const Options &options)
{
    QFile file(path);
    if (!file.exists())
        return makeError(ErrorKind::NotFound, QStringLiteral("the file does not exist"), path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("cannot read the file: %1").arg(file.errorString()), path);
    return read(file.readAll(), path, options);
}
