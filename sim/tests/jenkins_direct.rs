//! Jenkins itself behind the simulator: who may reach it which way (ks-devops' proxy,
//! Jenkins' own URL), and how it refuses wrong credentials, with plain HTTP requests.

mod common;

use base64::Engine;
use common::*;
use ksdevops_sim::ApiLayout;

const SECRET: &str = "/api/v1/namespaces/kubesphere-devops-system/secrets/devops-jenkins";

fn basic(user: &str, token: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{token}"));
    format!("Basic {encoded}")
}

async fn admin_token(env: &Env, admin: &Authed) -> String {
    let secret = admin.get_json(&format!("{}{SECRET}", env.base)).await;
    let encoded = secret["data"]["jenkins-admin-token"].as_str().unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jenkins_own_url_wants_the_admin_token_as_basic_auth() {
    let env = start(ApiLayout::V4, 50.0).await;
    let admin = env.admin().await;
    let tenant = env.tenant().await;
    let token = admin_token(&env, &admin).await;
    let url = format!("{}/jenkins/api/json", env.base);
    let send = |authorization: Option<String>| {
        let mut request = env.http.get(&url);
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        request.send()
    };

    let ok = send(Some(basic("admin", &token))).await.unwrap();
    assert_eq!(ok.status(), 200);
    let top: serde_json::Value = ok.json().await.unwrap();
    assert!(top["jobs"].as_array().is_some(), "{top}");
    let anonymous = send(None).await.unwrap();
    assert_eq!(anonymous.status(), 403, "Jenkins wants credentials");
    let wrong = send(Some(basic("admin", "nope"))).await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(!wrong.text().await.unwrap().contains(&token));
    let other_user = send(Some(basic("stone", &token))).await.unwrap();
    assert_eq!(other_user.status(), 401);
    let kubesphere_token = send(Some(format!("Bearer {}", admin.token))).await.unwrap();
    assert_eq!(
        kubesphere_token.status(),
        403,
        "Jenkins does not know KubeSphere tokens"
    );
    let secret = tenant
        .get(&format!("{}{SECRET}", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(secret.status(), 403, "only administrators read the Secret");
    let no_token = env
        .http
        .get(format!("{}{SECRET}", env.base))
        .header("Authorization", basic("admin", &token))
        .send()
        .await
        .unwrap();
    assert_eq!(
        no_token.status(),
        401,
        "KubeSphere reads a basic Authorization as its own login, never X-KubeSphere-Authorization then"
    );
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_devops_proxy_checks_the_project_and_starts_builds_that_are_runs() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let env = start(layout, 50.0).await;
        let tenant = env.tenant().await;
        let proj = match layout {
            ApiLayout::V4 => "namespaces",
            ApiLayout::V3 => "devops",
        };
        let jenkins = |ns: &str| format!("{}{KAPIS}/v1alpha2/{proj}/{ns}/jenkins", env.base);
        let folder_url = format!("{}/job/{NS}/api/json", jenkins(NS));
        wait_for("the params-demo job", 10, || async {
            let folder = tenant.get_json(&folder_url).await;
            let jobs = folder["jobs"].as_array()?;
            jobs.iter()
                .any(|j| j["name"] == "params-demo")
                .then_some(())
        })
        .await;
        let none = env
            .http
            .get(format!("{}/api/json", jenkins(NS)))
            .send()
            .await
            .unwrap();
        assert_eq!(none.status(), 401);
        let other = tenant
            .get(&format!("{}/api/json", jenkins("other-project")))
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 403, "{layout:?}");

        let started = tenant
            .post(&format!(
                "{}/job/{NS}/job/params-demo/buildWithParameters",
                jenkins(NS)
            ))
            .form(&[("PERSON", "ann")])
            .send()
            .await
            .unwrap();
        assert_eq!(started.status(), 201);
        let location = started.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.contains("/queue/item/"), "{location}");
        let item = tenant
            .get_json(&format!("{}{location}api/json", jenkins(NS)))
            .await;
        let number = item["executable"]["number"].as_u64().unwrap();
        let id = number.to_string();
        let runs = tenant
            .get_json(&format!(
                "{}/pipelines/params-demo/pipelineruns?backward=false",
                env.n3(NS)
            ))
            .await;
        assert!(
            runs["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["metadata"]["annotations"]
                    ["devops.kubesphere.io/jenkins-pipelinerun-id"]
                    == id.as_str()),
            "{layout:?}: build #{number} is a PipelineRun: {runs}"
        );
        let missing = tenant
            .get(&format!("{}/job/{NS}/job/nothing/api/json", jenkins(NS)))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
        env.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_can_keep_builds_in_the_queue_with_quiet_down() {
    let env = start(ApiLayout::V4, 50.0).await;
    let admin = env.admin().await;
    let tenant = env.tenant().await;
    let authorization = basic("admin", &admin_token(&env, &admin).await);
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let jenkins = format!("{}/jenkins", env.base);
    let post = |path: &str| {
        no_redirects
            .post(format!("{jenkins}/{path}"))
            .header("Authorization", &authorization)
            .send()
    };
    let get = |url: String| async {
        let answer = env
            .http
            .get(url)
            .header("Authorization", &authorization)
            .send()
            .await
            .unwrap();
        answer.json::<serde_json::Value>().await.unwrap_or_default()
    };
    let top = || get(format!("{jenkins}/api/json"));
    wait_for("the params-demo job", 10, || async {
        let folder = get(format!("{jenkins}/job/{NS}/api/json")).await;
        let jobs = folder["jobs"].as_array()?;
        jobs.iter()
            .any(|j| j["name"] == "params-demo")
            .then_some(())
    })
    .await;

    let proxied = tenant
        .post(&format!(
            "{}{KAPIS}/v1alpha2/namespaces/{NS}/jenkins/quietDown",
            env.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 403, "only Jenkins administrators");
    assert_eq!(top().await["quietingDown"], false);

    let quiet = post("quietDown").await.unwrap();
    assert_eq!(quiet.status(), 302);
    assert_eq!(top().await["quietingDown"], true);
    let started = post(&format!("job/{NS}/job/params-demo/buildWithParameters"))
        .await
        .unwrap();
    assert_eq!(started.status(), 201);
    let location = started.headers()["location"].to_str().unwrap().to_owned();
    let item = wait_for("the queue item's build", 10, || async {
        let item = get(format!("{jenkins}{location}api/json")).await;
        item["executable"]["number"].as_u64()
    })
    .await;
    // Well past the queue's usual wait, the build has still not started.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let run_url = format!(
        "{}{KAPIS}/v1alpha2/namespaces/{NS}/pipelines/params-demo/runs/{item}/",
        env.base
    );
    let run = admin.get_json(&run_url).await;
    assert_eq!(run["state"], "QUEUED", "{run}");
    assert!(run["result"] != "SUCCESS", "{run}");

    assert_eq!(post("cancelQuietDown").await.unwrap().status(), 302);
    wait_for("the build to leave the queue", 10, || async {
        let run = admin.get_json(&run_url).await;
        (run["state"] != "QUEUED").then_some(())
    })
    .await;
    env.stop().await;
}
