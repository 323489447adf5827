# modeling_your_database.md, 13 - Primitive list fields
from StructNoSQL import TableDataModel, BaseField
from typing import List

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    orderedLogMessages = BaseField(field_type=List[(str, dict)], key_name='logIndex', required=False)
