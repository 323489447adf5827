# modeling_your_database.md, 3 - Fields with multiple allowed types
from StructNoSQL import TableDataModel, BaseField

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    age = BaseField(field_type=(int, float, str), required=True)
