# modeling_your_database.md, 5 - Allowing any value in a field
from StructNoSQL import TableDataModel, BaseField
from typing import Any

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    requiredUserStatus = BaseField(field_type=Any, required=True)
    optionalMetadata = BaseField(field_type=Any, required=False)
