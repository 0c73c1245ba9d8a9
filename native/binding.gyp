{
  "targets": [
    {
      "target_name": "bpfguard",
      "sources": ["src/addon.cc", "src/object.cc", "src/ringbuf.cc", "src/errors.cc", "src/syslog.cc", "src/signal.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lbpf", "-lelf", "-lz"]
    }
  ]
}
