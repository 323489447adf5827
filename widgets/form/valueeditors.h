#pragma once

// The type-specific parts of a FieldEditor. Internal to the form: widgets outside the form
// use FieldEditor, which owns one of these for the type currently chosen.

#include "model/core/value.h"
#include "model/schema/celledit.h"
#include "model/schema/tablemodel.h"
#include "model/schema/validator.h"

#include <QList>
#include <QToolButton>
#include <QWidget>

#include <functional>
#include <vector>

class FieldEditor;
class QAction;
class QCheckBox;
class QComboBox;
class QFrame;
class QGridLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;

class QVBoxLayout;

/// A small drop-down button choosing one of a few formats ("JSON ▾"); narrower than a combo
/// box, which is as wide as its longest item.
class FormatButton : public QToolButton
{
public:
    FormatButton(const QStringList &options, QWidget *parent);
    int currentIndex() const { return m_current; }
    /// Shows an option without calling `chosen`.
    void setCurrentIndex(int index);
    /// The option's action in the menu (tests trigger it).
    QAction *optionAction(int index) const;
    /// Called when the user picks another option, before currentIndex() changes.
    std::function<void(int)> chosen;

private:
    QList<QAction *> m_actions;
    QStringList m_options;
    int m_current = 0;
};

/// Edits a value of one type for its FieldEditor (the owner), which keeps the set state.
class ValueEditor : public QWidget
{
public:
    explicit ValueEditor(FieldEditor *owner);

    FieldEditor *owner() const { return m_owner; }
    /// The value shown; null when the text cannot be read (see inputProblems).
    virtual Value value() const = 0;
    virtual void setValue(const Value &value) = 0;
    /// Back to the empty state of a new field or item.
    virtual void clear() = 0;
    /// The state of a new item or of a required field that must be filled in.
    virtual void setDefault() { clear(); }
    /// Maps, dicts and lists are hidden while their field is unset.
    virtual bool hidesWhenUnset() const { return false; }
    /// True when inputProblems() matters even while the field is unset (a set's typed entry).
    virtual bool reportsWhenUnset() const { return false; }
    /// Shows whether the field is set (placeholders such as "not set" and "empty string").
    virtual void setUnsetLook(bool unset, bool required)
    {
        Q_UNUSED(unset);
        Q_UNUSED(required);
    }
    virtual void setReadOnly(bool readOnly) { Q_UNUSED(readOnly); }
    virtual void setInputToolTip(const QString &text);
    /// Problems of the typed text, for the field at `path`; nested editors' included.
    virtual void inputProblems(Problems &out, const QString &path) const
    {
        Q_UNUSED(out);
        Q_UNUSED(path);
    }
    /// The FieldEditors nested in this one (map fields, dict and list items).
    virtual void childEditors(QList<FieldEditor *> &out) const { Q_UNUSED(out); }
    virtual void focusChain(QList<QWidget *> &out) const;
    /// Names the widgets after the field path; `inputName` is the input's object name.
    virtual void rename(const QString &inputName, const QString &path) = 0;
    /// Scalars edited as text keep their text when the user switches between types.
    virtual bool hasText() const { return false; }
    virtual QString text() const { return {}; }
    virtual void setText(const QString &text) { Q_UNUSED(text); }
    /// The widget that takes the focus for the field.
    virtual QWidget *focusTarget() const = 0;

protected:
    /// Height of a one-line input, so that labels and check boxes line up with it.
    static int lineHeight();

    FieldEditor *m_owner;
};

/// str: a line edit. Typing sets the field; Backspace in an empty field unsets it.
class StringEditor : public ValueEditor
{
public:
    explicit StringEditor(FieldEditor *owner);
    Value value() const override;
    void setValue(const Value &value) override;
    void clear() override;
    void setUnsetLook(bool unset, bool required) override;
    void setReadOnly(bool readOnly) override;
    void setInputToolTip(const QString &text) override;
    void rename(const QString &inputName, const QString &path) override;
    bool hasText() const override { return true; }
    QString text() const override;
    void setText(const QString &text) override;
    QWidget *focusTarget() const override;
    void focusChain(QList<QWidget *> &out) const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLineEdit *m_edit;
};

/// int, float, decimal: the typed text is the number (never converted through a double);
/// checked with checkNumber() and, for int and float, integer text or not.
class NumberEditor : public ValueEditor
{
public:
    NumberEditor(FieldEditor *owner, FieldKind kind);
    Value value() const override;
    void setValue(const Value &value) override;
    void clear() override;
    void setUnsetLook(bool unset, bool required) override;
    void setReadOnly(bool readOnly) override;
    void setInputToolTip(const QString &text) override;
    void inputProblems(Problems &out, const QString &path) const override;
    void rename(const QString &inputName, const QString &path) override;
    bool hasText() const override { return true; }
    QString text() const override;
    void setText(const QString &text) override;
    QWidget *focusTarget() const override;
    void focusChain(QList<QWidget *> &out) const override;

private:
    FieldKind m_kind;
    QLineEdit *m_edit;
};

/// bool: a check box; "not set" shows as a partly checked box. Delete unsets.
class BoolEditor : public ValueEditor
{
public:
    explicit BoolEditor(FieldEditor *owner);
    Value value() const override;
    void setValue(const Value &value) override;
    void clear() override;
    void setUnsetLook(bool unset, bool required) override;
    void setReadOnly(bool readOnly) override;
    void rename(const QString &inputName, const QString &path) override;
    QWidget *focusTarget() const override;
    void focusChain(QList<QWidget *> &out) const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateText();
    QCheckBox *m_box;
    bool m_unset = true;
    bool m_required = false;
};

/// bytes: base64 or hex text (switchable), with the decoded size.
class BytesEditor : public ValueEditor
{
public:
    explicit BytesEditor(FieldEditor *owner);
    Value value() const override;
    void setValue(const Value &value) override;
    void clear() override;
    void setUnsetLook(bool unset, bool required) override;
    void setReadOnly(bool readOnly) override;
    void inputProblems(Problems &out, const QString &path) const override;
    void rename(const QString &inputName, const QString &path) override;
    bool hasText() const override { return true; }
    QString text() const override;
    void setText(const QString &text) override;
    QWidget *focusTarget() const override;
    void focusChain(QList<QWidget *> &out) const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    std::optional<QByteArray> decode(QString *problem = nullptr) const;
    void updateSize();
    bool isHex() const;
    QLineEdit *m_edit;
    FormatButton *m_format;
    QLabel *m_size;
};

/// JSON text for `any`, maps without fields, dicts or lists without item types, values of a
/// type the field does not accept, and whole records of tables without a model. Plain JSON or
/// DynamoDB JSON (which says sets and binary itself). An unchanged text gives back the value
/// exactly as it was given.
class JsonEditor : public ValueEditor
{
public:
    enum class Shape { Any, Map, List };
    JsonEditor(FieldEditor *owner, Shape shape, bool record = false);
    Value value() const override;
    void setValue(const Value &value) override;
    void clear() override;
    void setDefault() override;
    void setUnsetLook(bool unset, bool required) override;
    void setReadOnly(bool readOnly) override;
    void setInputToolTip(const QString &text) override;
    void inputProblems(Problems &out, const QString &path) const override;
    void rename(const QString &inputName, const QString &path) override;
    QWidget *focusTarget() const override;
    void focusChain(QList<QWidget *> &out) const override;
    /// The value parsed from the text, or the syntax problem.
    Result<Value> parsed() const;
    bool isDynamoFormat() const;
    void setDynamoFormat(bool dynamo);

private:
    QString render(const Value &value, bool dynamo) const;
    void fitHeight();
    void updateFormatButton();
    void switchFormat(int index);
    Shape m_shape;
    bool m_record;
    bool m_compact; ///< a dict or list item: one line to start with
    QPlainTextEdit *m_edit;
    FormatButton *m_format;
    bool m_hasOriginal = false;
    Value m_original;
    QString m_originalText;
};

/// A map with declared fields: one FieldEditor per field in a grid with their names (bold and
/// starred when required), in a collapsible frame; attributes the model does not declare are
/// kept in an "other attributes" JSON editor. The root variant is the whole record's form.
class MapEditor : public ValueEditor
{
public:
    MapEditor(FieldEditor *owner, const MapModel &model, bool root, const QString &hashKey = {});
    Value value() const override;
    void setValue(const Value &value) override;
    void clear() override;
    bool hidesWhenUnset() const override { return !m_root; }
    void inputProblems(Problems &out, const QString &path) const override;
    void childEditors(QList<FieldEditor *> &out) const override;
    void focusChain(QList<QWidget *> &out) const override;
    void rename(const QString &inputName, const QString &path) override;
    QWidget *focusTarget() const override;
    /// The editor of a declared field, or nullptr.
    FieldEditor *fieldEditor(const QString &name) const;
    void setCollapsed(bool collapsed);

private:
    struct Child
    {
        const FieldSpec *spec;
        QLabel *label;
        FieldEditor *editor;
    };
    void setExtras(const Value::Map &extras);
    void updateHeader();

    const MapModel &m_model;
    bool m_root;
    QString m_path;
    QToolButton *m_collapse = nullptr;
    QWidget *m_frame = nullptr; ///< a QGroupBox, or a plain widget for the root
    QGridLayout *m_grid = nullptr;
    std::vector<Child> m_children;
    QLabel *m_extrasLabel = nullptr;
    FieldEditor *m_extras = nullptr;
    bool m_collapsed = false;
};

/// A dict: a key/value table whose key column is labelled with the keyName; items are edited by
/// nested FieldEditors (JSON for items of any type). Rows can be added and removed.
class DictEditor : public ValueEditor
{
public:
    DictEditor(FieldEditor *owner, const FieldType &type, const QString &keyName);
    Value value() const override;
    void setValue(const Value &value) override;
    void clear() override;
    bool hidesWhenUnset() const override { return true; }
    void inputProblems(Problems &out, const QString &path) const override;
    void childEditors(QList<FieldEditor *> &out) const override;
    void focusChain(QList<QWidget *> &out) const override;
    void rename(const QString &inputName, const QString &path) override;
    QWidget *focusTarget() const override;
    /// Adds an empty row and focuses its key.
    void addRow();

private:
    struct Row
    {
        QLineEdit *key;
        FieldEditor *item;
        QToolButton *remove;
    };
    Row &appendRow(const QString &key, const std::optional<Value> &value);
    void removeRow(int index);
    void relayout();

    const FieldType &m_type;
    QString m_keyName;
    QString m_path;
    bool m_stacked = false; ///< items are nested editors: each under its key, full width
    QFrame *m_frame;
    QGridLayout *m_grid;
    QLabel *m_keyHeader;
    QLabel *m_valueHeader;
    QLabel *m_empty;
    QToolButton *m_add;
    std::vector<Row> m_rows;
};

/// A list: one nested FieldEditor per item, with move up/down (Alt+Up, Alt+Down), remove and add.
class ListEditor : public ValueEditor
{
public:
    ListEditor(FieldEditor *owner, const FieldType &type);
    Value value() const override;
    void setValue(const Value &value) override;
    void clear() override;
    bool hidesWhenUnset() const override { return true; }
    void inputProblems(Problems &out, const QString &path) const override;
    void childEditors(QList<FieldEditor *> &out) const override;
    void focusChain(QList<QWidget *> &out) const override;
    void rename(const QString &inputName, const QString &path) override;
    QWidget *focusTarget() const override;
    void addItem();
    void moveItem(int from, int to);
    void removeItem(int index);

private:
    struct Row
    {
        QWidget *widget;
        QLabel *index;
        FieldEditor *item;
        QToolButton *up;
        QToolButton *down;
        QToolButton *remove;
    };
    void appendRow(const std::optional<Value> &value);
    void relayout();

    const FieldType &m_type;
    QString m_path;
    QFrame *m_frame;
    QVBoxLayout *m_rowsLayout;
    QLabel *m_empty;
    QToolButton *m_add;
    std::vector<Row> m_rows;
};

/// A set of strings, numbers or binary values: the items, an entry to add one (Enter), and
/// Remove. Duplicates are refused when added. An empty set is no set (DynamoDB refuses them).
class SetEditor : public ValueEditor
{
public:
    SetEditor(FieldEditor *owner, const FieldType &type);
    Value value() const override;
    void setValue(const Value &value) override;
    void clear() override;
    void setUnsetLook(bool unset, bool required) override;
    bool reportsWhenUnset() const override { return true; }
    void inputProblems(Problems &out, const QString &path) const override;
    void focusChain(QList<QWidget *> &out) const override;
    void rename(const QString &inputName, const QString &path) override;
    QWidget *focusTarget() const override;
    /// Adds the entry's text as an item; false (and a hint) when it is refused.
    bool addEntry();
    void removeSelected();
    QStringList items() const;

private:
    enum class ItemKind { String, Number, Binary };
    QString checkItem(const QString &text) const;
    void updateList();

    ItemKind m_itemKind = ItemKind::String;
    FieldKind m_numberKind = FieldKind::Decimal;
    QStringList m_items; ///< text of strings and numbers, base64 of binaries
    QListWidget *m_list;
    QLineEdit *m_entry;
    QToolButton *m_add;
    QToolButton *m_remove;
    QLabel *m_hint;
};
