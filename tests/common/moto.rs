//! A moto server (the AWS API emulator, from the test venv) on a free port
//! of 127.0.0.1, and the environment that points the real `aws` CLI at it.
//! Nothing here can reach beyond loopback: the endpoint is always set, and
//! the credentials are moto's test ones.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The test venv's `bin` directory (with `aws` and `moto_server`), from
/// `RUNBOOK_PYTHON`, which `tests/run.sh` sets.
pub fn venv_bin() -> PathBuf {
    let python = std::env::var("RUNBOOK_PYTHON")
        .expect("RUNBOOK_PYTHON is not set: run the tests with tests/run.sh");
    PathBuf::from(python)
        .parent()
        .expect("RUNBOOK_PYTHON is in a venv's bin directory")
        .to_path_buf()
}

/// A free TCP port on loopback (free when asked; nothing listens on it).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A running moto server, stopped on drop.
pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Moto {
    pub fn start() -> Moto {
        let port = free_port();
        let child = Command::new(venv_bin().join("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts (tests/run.sh installs moto[server])");
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { child, port }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A command whose `aws` is the venv's CLI, talking to this server.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        aws_env(Command::new(program), &self.endpoint())
    }

    /// Runs `aws ARGS…` against this server and returns its stdout; panics
    /// with the CLI's message when it fails.
    pub fn aws(&self, args: &[&str]) -> String {
        let output = self
            .command(venv_bin().join("aws"))
            .args(args)
            .output()
            .expect("aws runs");
        assert!(
            output.status.success(),
            "aws {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `command` with the venv's `aws` first on PATH and every AWS setting
/// pointing at `endpoint` with test credentials.
pub fn aws_env(mut command: Command, endpoint: &str) -> Command {
    let path = format!(
        "{}:{}",
        venv_bin().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    command
        .env("PATH", path)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_SESSION_TOKEN", "testing")
        .env("AWS_DEFAULT_REGION", "eu-west-3")
        .env("AWS_REGION", "eu-west-3")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_PAGER", "")
        .env_remove("AWS_PROFILE");
    command
}

/// Starts a task of `family` on `cluster` with the EC2 launch type (moto
/// emulates awsvpc poorly): registers an instance as a container instance
/// first. Returns the task's ARN.
pub fn run_task(moto: &Moto, cluster: &str, family: &str) -> String {
    let image = moto.aws(&[
        "ec2",
        "describe-images",
        "--query",
        "Images[0].ImageId",
        "--output",
        "text",
    ]);
    let instance = moto.aws(&[
        "ec2",
        "run-instances",
        "--image-id",
        &image,
        "--count",
        "1",
        "--instance-type",
        "t2.micro",
        "--query",
        "Instances[0].InstanceId",
        "--output",
        "text",
    ]);
    let document = serde_json::json!({
        "instanceId": instance,
        "region": "eu-west-3",
        "availabilityZone": "eu-west-3a",
        "imageId": image,
        "accountId": "123456789012",
        "instanceType": "t2.micro",
        "privateIp": "10.0.1.10",
    })
    .to_string();
    moto.aws(&[
        "ecs",
        "register-container-instance",
        "--cluster",
        cluster,
        "--instance-identity-document",
        &document,
    ]);
    moto.aws(&[
        "ecs",
        "run-task",
        "--cluster",
        cluster,
        "--task-definition",
        family,
        "--launch-type",
        "EC2",
        "--query",
        "tasks[0].taskArn",
        "--output",
        "text",
    ])
}

/// Creates `cluster` and registers the task definition `family` (one
/// essential nginx container named `app`).
pub fn cluster_with_task_definition(moto: &Moto, cluster: &str, family: &str) {
    moto.aws(&["ecs", "create-cluster", "--cluster-name", cluster]);
    moto.aws(&[
        "ecs",
        "register-task-definition",
        "--family",
        family,
        "--container-definitions",
        r#"[{"name":"app","image":"nginx","memory":128,"essential":true}]"#,
    ]);
}
