//! The committed prost code (`src/pb/easemob.pb.rs`) must be exactly what prost-build makes of
//! `proto/msync.proto`. Set `MSYNC_DEVSERVER_REGEN_PB=1` to rewrite it after editing the schema.

use std::path::Path;

#[test]
fn pb_in_sync() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let proto_dir = crate_dir.join("proto");
    let fds = protox::compile([proto_dir.join("msync.proto")], [&proto_dir])
        .expect("msync.proto compiles");
    let out_dir = std::env::temp_dir().join(format!("msync-devserver-pb-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).expect("temp dir");
    prost_build::Config::new()
        .out_dir(&out_dir)
        .compile_fds(fds)
        .expect("prost-build generates code");
    let generated = std::fs::read_to_string(out_dir.join("easemob.pb.rs")).expect("generated");
    std::fs::remove_dir_all(&out_dir).ok();

    let committed_path = crate_dir.join("src/pb/easemob.pb.rs");
    if std::env::var_os("MSYNC_DEVSERVER_REGEN_PB").is_some() {
        std::fs::write(&committed_path, &generated).expect("write generated code");
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "src/pb/easemob.pb.rs is out of date with proto/msync.proto; \
         rerun with MSYNC_DEVSERVER_REGEN_PB=1"
    );
}
