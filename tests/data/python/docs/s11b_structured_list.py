# modeling_your_database.md, 11 - Structured list fields
from StructNoSQL import TableDataModel, BaseField, MapModel
from typing import List

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    class FriendModel(MapModel):
        friendId = BaseField(field_type=str, required=True)
        friendsSinceTimestamp = BaseField(field_type=int, required=True)
    orderedFriends = BaseField(field_type=List[FriendModel], key_name='friendIndex', required=False)
