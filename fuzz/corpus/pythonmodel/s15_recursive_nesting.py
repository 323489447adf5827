# modeling_your_database.md, 15 - Recursive nesting
from StructNoSQL import TableDataModel, MapModel, BaseField, ActiveSelf
from typing import Any, Dict

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    class ParameterModel(MapModel):
        value = BaseField(field_type=Any, required=False)
        childParameter = BaseField(field_type=ActiveSelf, required=False)
        childrenParameters = BaseField(field_type=Dict[str, ActiveSelf], key_name='childParameterKey{i}', max_nested_depth=8, required=False)
    parameters = BaseField(field_type=Dict[str, ParameterModel], key_name='parameterKey', required=False)
