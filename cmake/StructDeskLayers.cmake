# Layers: one static library per folder of model/ and widgets/, each declaring the layers it may
# use. A layer may include its own files and those of the layers it uses, directly or through
# them; nothing else (tests/arch/tst_layering checks every #include against what is declared
# here, and that every file of a folder is listed in its CMakeLists.txt).
#
#   structdesk_layer(USES model/json SOURCES a.h a.cpp ... [LINKS Qt6::Network ...])
#
# called in the folder's CMakeLists.txt makes the library structdesk_<folder> (slashes become
# underscores: model/store/sqlite -> structdesk_model_store_sqlite).

function(structdesk_layer_target dir out)
    string(REPLACE "/" "_" name "${dir}")
    set(${out} structdesk_${name} PARENT_SCOPE)
endfunction()

# Records a folder as a layer (libraries and executables alike) for the layering check.
function(structdesk_register_layer dir uses sources)
    list(JOIN uses "," uses_text)
    list(JOIN sources "," sources_text)
    set_property(GLOBAL APPEND PROPERTY STRUCTDESK_LAYERS "${dir}|${uses_text}|${sources_text}")
endfunction()

function(structdesk_layer)
    cmake_parse_arguments(L "" "" "USES;SOURCES;LINKS;PRIVATE_LINKS" ${ARGN})
    file(RELATIVE_PATH dir ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
    structdesk_layer_target(${dir} target)
    set(deps)
    foreach(use ${L_USES})
        structdesk_layer_target(${use} dep)
        list(APPEND deps ${dep})
    endforeach()
    add_library(${target} STATIC ${L_SOURCES})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} PUBLIC ${deps} ${L_LINKS} PRIVATE structdesk_warnings ${L_PRIVATE_LINKS})
    if(STRUCTDESK_FUZZ)
        # Every parser instrumented for libFuzzer (`make fuzz`).
        target_compile_options(${target} PUBLIC
            -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
            -fno-omit-frame-pointer)
        target_link_options(${target} PUBLIC -fsanitize=address,undefined)
    endif()
    structdesk_register_layer(${dir} "${L_USES}" "${L_SOURCES}")
    set(STRUCTDESK_LAYER_TARGET ${target} PARENT_SCOPE)
endfunction()

# Writes the declared layers to ${CMAKE_BINARY_DIR}/layers.txt, one per line:
# FOLDER|USES,...|SOURCES,... (sources relative to the folder).
function(structdesk_write_layers)
    get_property(layers GLOBAL PROPERTY STRUCTDESK_LAYERS)
    list(JOIN layers "\n" text)
    file(WRITE ${CMAKE_BINARY_DIR}/layers.txt "${text}\n")
endfunction()
