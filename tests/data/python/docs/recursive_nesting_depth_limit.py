# recursive_nesting.md, "32 depth level limit != 32 nesting limit": the page's model is indented
# in a way Python itself refuses; StructDesk names the line.
from StructNoSQL import TableDataModel, BaseField, MapModel, ActiveSelf
from typing import Dict

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
        class ParameterModel(MapModel):
            childParameters = BaseField(field_type=Dict[str, ActiveSelf], key_name='childParameterKey{i}', required=False)
        parameters = BaseField(field_type=Dict[str, ParameterModel], key_name='parameterKey', required=False)
    friends = BaseField(field_type=Dict[str, FriendModel], key_name='friendId', required=False)
