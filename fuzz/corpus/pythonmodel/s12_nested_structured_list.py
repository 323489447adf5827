# modeling_your_database.md, 12 - Nested structured list fields
from StructNoSQL import TableDataModel, BaseField, MapModel
from typing import List

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    class FriendModel(MapModel):
        friendId = BaseField(field_type=str, required=True)
        friendsSinceTimestamp = BaseField(field_type=int, required=True)
        class SharedInterestModel(MapModel):
            friendId = BaseField(field_type=str, required=True)
        sharedFriends = BaseField(field_type=List[SharedInterestModel], key_name='sharedFriendIndex', required=False)
    orderedFriends = BaseField(field_type=List[FriendModel], key_name='friendIndex', required=False)
