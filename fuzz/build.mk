# fuzz/build.mk placeholder
