# One container service per service of the registry (packages/tools/src/registry.ts), each named
# as everywhere else. Only the gateway is behind the load balancer; each service accepts calls
# only from its callers: the gateway from the load balancer, scheduling from the gateway, a
# provider subgraph from both, a simulator from its provider subgraph.

module "gateway" {
  source           = "../container-service"
  name             = "gateway"
  port             = 4000
  platform         = local.platform
  capacity         = var.capacity.gateway
  target_group_arn = module.load-balancer.target_group_arn
  callers          = { load-balancer = module.load-balancer.security_group_id }
  secrets          = local.internal_secret
  environment = {
    AUTH_JWKS_URL = var.auth.jwks_url
    AUTH_ISSUER   = var.auth.issuer
    AUTH_AUDIENCE = var.auth.audience
    # Vården's web pages call the API from the browser: their origins, and no other.
    CORS_ORIGINS = join(",", var.web_origins)
    # Rate limits counted together by every gateway task.
    REDIS_URL = module.redis.url
    # Behind the load balancer: a request's address is the one it appended to X-Forwarded-For.
    TRUSTED_PROXIES = "1"
    SUBGRAPH_URLS = join(",", [
      "scheduling=${module.scheduling.url}/graphql",
      "provider-cliniq=${module.provider-cliniq.url}/graphql",
      "provider-fhir=${module.provider-fhir.url}/graphql",
      "provider-rivta=${module.provider-rivta.url}/graphql",
      "provider-smart=${module.provider-smart.url}/graphql",
      "provider-square=${module.provider-square.url}/graphql",
    ])
  }
}

module "scheduling" {
  source   = "../container-service"
  name     = "scheduling"
  port     = 4001
  platform = local.platform
  capacity = var.capacity.scheduling
  callers  = { gateway = module.gateway.security_group_id }
  environment = {
    PROVIDER_SUBGRAPHS = join(",", [
      "provider-cliniq=${module.provider-cliniq.url}/graphql",
      "provider-fhir=${module.provider-fhir.url}/graphql",
      "provider-rivta=${module.provider-rivta.url}/graphql",
      "provider-smart=${module.provider-smart.url}/graphql",
      "provider-square=${module.provider-square.url}/graphql",
    ])
    REDIS_URL = module.redis.url
  }
  secrets = {
    DATABASE_URL     = { arn = module.postgres.url_secret_arn }
    PATIENT_DATA_KEY = { arn = module.secrets.secret_arns["patient-data-key"] }
    INTERNAL_SECRET  = local.internal_secret.INTERNAL_SECRET
  }
}

module "provider-cliniq" {
  source   = "../container-service"
  name     = "provider-cliniq"
  port     = 4010
  platform = local.platform
  capacity = var.capacity.providers
  callers  = { gateway = module.gateway.security_group_id, scheduling = module.scheduling.security_group_id }
  secrets  = local.connection_secrets["provider-cliniq"]
}

module "provider-fhir" {
  source   = "../container-service"
  name     = "provider-fhir"
  port     = 4011
  platform = local.platform
  capacity = var.capacity.providers
  callers  = { gateway = module.gateway.security_group_id, scheduling = module.scheduling.security_group_id }
  secrets  = local.connection_secrets["provider-fhir"]
}

module "provider-rivta" {
  source   = "../container-service"
  name     = "provider-rivta"
  port     = 4012
  platform = local.platform
  capacity = var.capacity.providers
  callers  = { gateway = module.gateway.security_group_id, scheduling = module.scheduling.security_group_id }
  secrets  = local.connection_secrets["provider-rivta"]
}

module "provider-smart" {
  source   = "../container-service"
  name     = "provider-smart"
  port     = 4013
  platform = local.platform
  capacity = var.capacity.providers
  callers  = { gateway = module.gateway.security_group_id, scheduling = module.scheduling.security_group_id }
  secrets  = local.connection_secrets["provider-smart"]
}

module "provider-square" {
  source   = "../container-service"
  name     = "provider-square"
  port     = 4014
  platform = local.platform
  capacity = var.capacity.providers
  callers  = { gateway = module.gateway.security_group_id, scheduling = module.scheduling.security_group_id }
  secrets  = local.connection_secrets["provider-square"]
}

# The simulators stand in for the providers' systems where var.simulators is on; the provider
# subgraphs' connection secrets then point at them (http://simulator-<system>.<namespace>:<port>).

module "simulator-cliniq" {
  source   = "../container-service"
  count    = var.simulators ? 1 : 0
  name     = "simulator-cliniq"
  port     = 4101
  platform = local.platform
  capacity = local.simulator_capacity
  callers  = { provider-cliniq = module.provider-cliniq.security_group_id }
}

module "simulator-fhir" {
  source   = "../container-service"
  count    = var.simulators ? 1 : 0
  name     = "simulator-fhir"
  port     = 4102
  platform = local.platform
  capacity = merge(local.simulator_capacity, { memory = 2048 })
  callers  = { provider-fhir = module.provider-fhir.security_group_id }
}

module "simulator-rivta" {
  source   = "../container-service"
  count    = var.simulators ? 1 : 0
  name     = "simulator-rivta"
  port     = 4103
  platform = local.platform
  capacity = local.simulator_capacity
  callers  = { provider-rivta = module.provider-rivta.security_group_id }
}

module "simulator-smart" {
  source   = "../container-service"
  count    = var.simulators ? 1 : 0
  name     = "simulator-smart"
  port     = 4104
  platform = local.platform
  capacity = local.simulator_capacity
  callers  = { provider-smart = module.provider-smart.security_group_id }
  # The manifests' file URLs: where provider-smart reaches the simulator.
  environment = { SMART_PUBLIC_URL = "http://simulator-smart.${local.namespace}:4104" }
}

module "simulator-square" {
  source   = "../container-service"
  count    = var.simulators ? 1 : 0
  name     = "simulator-square"
  port     = 4105
  platform = local.platform
  capacity = local.simulator_capacity
  callers  = { provider-square = module.provider-square.security_group_id }
}
