#pragma once

// Internal to the Python model reader: the classes of a model file and the Reader that turns
// them into a table model file. pythonreader.cpp reads the classes and index calls and builds
// the document; pythonfields.cpp turns BaseField declarations into field objects.

#include "model/schema/python/pythonexpr.h"
#include "model/schema/python/pythonmodel.h"

#include <QHash>
#include <QSet>

#include <nlohmann/json.hpp>

namespace pythonmodel {

using Json = nlohmann::ordered_json;

inline std::string toStd(const QString &s)
{
    return s.toStdString();
}

inline QString quoted(const QString &s)
{
    return u'"' + s + u'"';
}

struct ClassInfo;

struct FieldDecl
{
    QString attribute;
    int line = 0;
    const Expr *call = nullptr; ///< the BaseField(...) call
    const ClassInfo *declaredIn = nullptr;
};

struct ClassInfo
{
    QString name;
    QString qualified;
    int line = 0;
    ClassInfo *outer = nullptr;
    std::vector<std::unique_ptr<Expr>> bases;
    std::vector<FieldDecl> fields;
    std::vector<ClassInfo *> nested;
    std::vector<const Statement *> body;
    bool inFunction = false;
    enum class Role { Unknown, Resolving, Other, Map, Table };
    Role role = Role::Unknown;
    bool isModel() const { return role == Role::Map || role == Role::Table; }
};

class Reader
{
public:
    Reader(const QString &fileName, const PythonModel::Options &options)
        : m_fileName(fileName), m_options(options)
    {
    }

    Result<PythonModel> read(const QByteArray &bytes);

private:
    Error error(const Failure &f) const;

    QString textOf(const Expr &e) const { return simplify(m_source.mid(e.begin, e.end - e.begin)); }
    QString textOf(const std::vector<Token> &tokens, std::size_t begin, std::size_t end) const;
    static QString simplify(QString s) { return s.simplified(); }

    /// Parses the whole token range as one expression.
    std::unique_ptr<Expr> parseAll(const std::vector<Token> &tokens, std::size_t begin,
                                   std::size_t end);

    // -- classes --

    std::optional<Failure> collect(const std::vector<Statement> &statements, ClassInfo *outer,
                                   bool inFunction);

    /// The class a (dotted) name means where `scope`'s body is read, as Python resolves it:
    /// the classes of that body defined before `line`, then module-level classes.
    ClassInfo *resolveClass(const QString &dotted, const ClassInfo *scope, int line) const;

    std::optional<Failure> resolveRole(ClassInfo &c);

    std::optional<Failure> readBody(ClassInfo &c);

    // -- calls outside the model classes --

    struct IndexCall
    {
        int line = 0;
        QString hashKey;
        QString hashKeyType;
        QString sortKey;
        QString sortKeyType;
        QString name;
        QString projection;
        QStringList nonKeyAttributes;
        bool operator==(const IndexCall &o) const
        {
            return hashKey == o.hashKey && hashKeyType == o.hashKeyType && sortKey == o.sortKey &&
                   sortKeyType == o.sortKeyType && name == o.name && projection == o.projection &&
                   nonKeyAttributes == o.nonKeyAttributes;
        }
    };

    std::optional<Failure> scanCalls();

    struct IndexResult
    {
        std::optional<IndexCall> call;
        Failure failure;
        bool ok() const { return call.has_value(); }
        explicit operator bool() const { return ok(); }
        const IndexCall &operator*() const { return *call; }
        const Failure &error() const { return failure; }
    };

    IndexResult indexCall(const Expr &call, bool primary);

    // -- building the model file --

    struct Type
    {
        std::vector<QString> kinds;
        QString model;
        std::optional<Json> items;
        QString keyType;
        bool nullable = false;
    };

    struct Context
    {
        const ClassInfo *scope = nullptr;    ///< where names resolve (the declaring class)
        const ClassInfo *expanded = nullptr; ///< the model being built (ActiveSelf)
        int line = 0;
        QString fieldText; ///< "field_type=..." for messages
    };

    std::optional<Failure> notUnderstood(const Context &ctx, const QString &why) const;
    /// Optional[...] or Union[...] as a field type: what to write instead.
    std::optional<Failure> optionalOrUnion(const Context &ctx, const QString &last) const;

    QString modelName(const ClassInfo *c);

    static std::optional<QString> scalarName(const QString &last);

    std::optional<Failure> convertType(const Expr &e, const Context &ctx, bool inUnion, Type &out);
    /// The steps of convertType: a name (str, Decimal, a MapModel...), a subscript (Dict[K, V],
    /// List[V], Set[P]), a tuple of types.
    std::optional<Failure> convertName(const Expr &e, const Context &ctx, bool inUnion, Type &out);
    std::optional<Failure> convertSubscript(const Expr &e, const Context &ctx, Type &out);
    std::optional<Failure> convertTuple(const Expr &e, const Context &ctx, bool inUnion, Type &out);

    /// The item type of a Dict or List.
    std::optional<Failure> convertItem(const Expr &e, const Context &ctx, Json &out);

    static Json typeJson(const std::vector<QString> &kinds);

    std::optional<Failure> literal(const Expr &e, Json &out, int line, const QString &what);

    /// The keyword arguments of a BaseField(...) call, checked one by one.
    struct FieldArguments
    {
        const Expr *fieldType = nullptr;
        bool required = false;
        std::optional<QString> keyName;
        std::optional<int> maxDepth;
        std::optional<Json> defaultValue;
    };

    /// The first step of fieldJson: reads each keyword (custom_field_name= sets `name`).
    std::optional<Failure> readFieldArguments(const Expr &call, QString &name,
                                              FieldArguments &args);

    /// The field object of a BaseField declaration, read for the model `expanded`.
    std::optional<Failure> fieldJson(const FieldDecl &decl, const ClassInfo *expanded,
                                     QString &name, Json &out);

    /// The fields of a model class, inherited ones first, as (declaration, class read for).
    void fieldsOf(const ClassInfo *c, std::vector<FieldDecl> &out,
                  QSet<const ClassInfo *> &visiting) const;

    std::optional<Failure> fieldsJson(const ClassInfo *c, Json &fields,
                                      std::vector<std::pair<QString, int>> *order);

    // -- the steps of build() --

    struct HashKey
    {
        QString name;
        QString type;
    };

    Result<const ClassInfo *> chooseTable(QStringList &notes) const;
    Result<const IndexCall *> choosePrimary(const Json &fields, const ClassInfo *table) const;
    Result<HashKey> hashKeyOf(const IndexCall *primary, const Json &fields,
                              const std::vector<std::pair<QString, int>> &order,
                              const ClassInfo *table, QStringList &notes) const;
    QString tableNameOf(const ClassInfo *table, QStringList &notes) const;
    Json secondaryIndexesJson() const;
    std::optional<Failure> modelsJson(Json &models);

    /// The table model document, checked by TableModel::fromJson.
    Result<PythonModel> build();

    QString m_fileName;
    PythonModel::Options m_options;
    QString m_source;
    std::vector<Line> m_lines;
    std::vector<Statement> m_statements;
    std::vector<std::unique_ptr<Line>> m_inlineBodies;
    std::vector<std::unique_ptr<Statement>> m_inlineStatements;
    std::vector<std::unique_ptr<ClassInfo>> m_classes;
    std::vector<std::unique_ptr<Expr>> m_exprs;
    std::vector<IndexCall> m_primary;
    std::vector<IndexCall> m_secondary;
    QHash<QString, QString> m_tableNames; ///< data_model class name -> table_name
    QSet<QString> m_dataModelNames;
    QStringList m_anyTableNames;
    QHash<const ClassInfo *, QString> m_modelNames;
    std::vector<const ClassInfo *> m_modelQueue;
};

} // namespace pythonmodel
