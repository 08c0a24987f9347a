//! ksdevops-sim: a local server that speaks the KubeSphere DevOps API.
