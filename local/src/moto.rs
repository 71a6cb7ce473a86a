//! The moto server (DynamoDB, Streams, SQS, Secrets Manager on one port), installed into
//! a project-local venv on first use and started as a child process.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// The pinned moto release.
pub const MOTO_VERSION: &str = "5.2.5";
/// The WSGI server moto's application runs under (keep-alive connections; see [`start`]).
pub const WAITRESS_VERSION: &str = "3.0.2";

fn venv_dir() -> PathBuf {
    std::env::var("FRONTLINE_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.tools"))
        .join("moto-venv")
}

/// Installs moto into the venv unless the pinned version is already there.
pub async fn ensure_installed() -> Result<PathBuf> {
    let venv = venv_dir();
    let bin = venv.join("bin/moto_server");
    let marker = venv.join(format!(".moto-{MOTO_VERSION}-waitress-{WAITRESS_VERSION}"));
    if bin.exists() && marker.exists() {
        return Ok(bin);
    }
    eprintln!(
        "[local] installing moto[server]=={MOTO_VERSION} and waitress=={WAITRESS_VERSION} into {} (first run only)…",
        venv.display()
    );
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let st = Command::new(&python)
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .await
        .context("python3 -m venv")?;
    if !st.success() {
        bail!("could not create a venv at {}", venv.display());
    }
    let st = Command::new(venv.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("moto[server]=={MOTO_VERSION}"),
            &format!("waitress=={WAITRESS_VERSION}"),
        ])
        .status()
        .await
        .context("pip install moto")?;
    if !st.success() {
        bail!("pip could not install moto[server]=={MOTO_VERSION}");
    }
    std::fs::write(&marker, MOTO_VERSION)?;
    Ok(bin)
}

/// A free loopback port.
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Runs moto's server application with two repairs that make it behave like DynamoDB for
/// us, served by waitress instead of werkzeug's development server.
///
/// Werkzeug's server answers every request with `Connection: close` (it cannot drain a
/// request body before the next request line), so each SDK request opened a new TCP
/// connection and moto a new thread for it: 8 % of the Frontline process's CPU went to
/// connecting (BENCHMARKS.md, the flame graph). Waitress keeps HTTP/1.1 connections alive
/// and serves them from a pool of 32 threads (SQS long polls each hold one for 20 s).
/// Finding the service of each request listed moto's package directory and tried every
/// service's URL patterns (11 % of moto's time under load, py-spy): the launcher lists the
/// directory once and remembers each host's service.
///
/// 1. Every DynamoDB request is serialised behind one lock. moto's server is threaded and
///    its `TransactWriteItems` checks conditions and then applies them without isolation,
///    so two concurrent transactions can both pass an `attribute_not_exists` on the same
///    slot lock, something AWS never allows (transactions are serialisable). Streams, SQS
///    and the other services stay concurrent (long polls must not block DynamoDB).
/// 2. A cancelled transaction is rolled back item by item. moto deep-copies the whole
///    table before every transaction and swaps the copy in on cancellation: slow enough
///    under a burst of bookings to time requests out, and the swap orphans the stream
///    shard (open iterators stop seeing new records, and the orphan keeps records of the
///    cancelled writes, which AWS never emits). The launcher snapshots only the items the
///    transaction names, restores them on cancellation, and trims the stream back.
const LAUNCHER: &str = r#"
import sys, threading, copy as _copy
from moto.dynamodb.responses import DynamoHandler
import moto.dynamodb.models as _models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
_lock = threading.RLock()
def serialised(cls):
    call = cls.call_action
    def call_action(self):
        with _lock:
            return call(self)
    cls.call_action = call_action
serialised(DynamoHandler)
class _CopyButNotTables:
    def deepcopy(self, obj, memo=None):
        return obj if isinstance(obj, Table) else _copy.deepcopy(obj, memo)
    def __getattr__(self, name):
        return getattr(_copy, name)
_models.copy = _CopyButNotTables()
def _key(table, op):
    attrs = op.get("Item") or op.get("Key")
    if not attrs or table.hash_key_attr not in attrs:
        return None
    h = DynamoType(attrs[table.hash_key_attr])
    r = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr and table.range_key_attr in attrs else None
    return h, r
_transact = DynamoDBBackend.transact_write_items
def transact_write_items(self, transact_items):
    snapshots = []
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        table = self.tables.get(op.get("TableName"))
        key = table is not None and _key(table, op)
        if key:
            try:
                current = table.get_item(*key)
            except Exception:
                continue
            snapshots.append((table, key, _copy.deepcopy(current)))
    shards = {name: (t.stream_shard, len(t.stream_shard.items))
              for name, t in self.tables.items() if t.stream_shard is not None}
    try:
        return _transact(self, transact_items)
    except Exception:
        for table, (h, r), item in reversed(snapshots):
            if r is None:
                if item is None:
                    table.items.pop(h, None)
                else:
                    table.items[h] = item
            elif item is None:
                table.items[h].pop(r, None)
            else:
                table.items[h][r] = item
        for name, (shard, length) in shards.items():
            table = self.tables.get(name)
            if table is not None:
                del shard.items[length:]
                shard.table = table
                table.stream_shard = shard
        raise
DynamoDBBackend.transact_write_items = transact_write_items
import os, waitress
import moto.backends as _backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
_modules = tuple(_backends.list_of_moto_modules())
_backends.list_of_moto_modules = lambda: _modules
_backend_for_host = DomainDispatcherApplication.get_backend_for_host
_hosts = {}
def get_backend_for_host(self, host):
    if host not in _hosts:
        _hosts[host] = _backend_for_host(self, host)
    return _hosts[host]
DomainDispatcherApplication.get_backend_for_host = get_backend_for_host
host, port = sys.argv[1], int(sys.argv[2])
os.environ.setdefault("MOTO_PORT", str(port))
waitress.serve(DomainDispatcherApplication(create_backend_app), host=host, port=port,
               threads=32, connection_limit=1000, channel_timeout=120, _quiet=True)
"#;

/// Starts moto on `port` and waits until it answers.
pub async fn start(port: u16) -> Result<Child> {
    let bin = ensure_installed().await?;
    let python = bin
        .parent()
        .map(|d| d.join("python"))
        .context("moto venv has no bin/")?;
    let child = Command::new(python)
        .args(["-c", LAUNCHER, "127.0.0.1", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting moto_server")?;
    let url = format!("http://127.0.0.1:{port}/moto-api/");
    for _ in 0..150 {
        if reqwest::get(&url).await.is_ok() {
            return Ok(child);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("moto did not start on port {port}")
}
