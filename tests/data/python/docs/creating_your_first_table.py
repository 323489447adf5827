# creating_your_first_table.md: this page still shows BaseField(name=...), which StructNoSQL 2
# does not have (the library raises TypeError); StructDesk says so, naming the line.
from StructNoSQL import BaseTable, PrimaryIndex, TableDataModel, BaseField

class UsersTableModel(TableDataModel):
    accountId = BaseField(name='userId', field_type=str, required=True)
    username = BaseField(name='username', field_type=str, required=False)

class UsersTable(BaseTable):
    def __init__(self):
        primary_index = PrimaryIndex(
            hash_key_name='userId', 
            hash_key_variable_python_type=str
        )
        super().__init__(
            table_name="my-first-table", region_name="eu-west-2", 
            primary_index=primary_index, auto_create_table=True,
            data_model=UsersTableModel()
        )

table_client = UsersTable()
