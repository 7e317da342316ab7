# Writes every NNNN_name.sql of DIR into one C++ table, in file-name order,
# returned by the function FUNC (default: migrations, the SQLite set).
if(NOT FUNC)
  set(FUNC migrations)
endif()
file(GLOB files ${DIR}/*.sql)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} sql)
  string(APPEND body "    {\"${name}\", R\"__sql__(${sql})__sql__\"},\n")
endforeach()
file(WRITE ${OUT} "#include \"storage/migrations.h\"\nnamespace portier::storage {\nconst std::vector<Migration>& ${FUNC}() {\n  static const std::vector<Migration> all = {\n${body}  };\n  return all;\n}\n}\n")
