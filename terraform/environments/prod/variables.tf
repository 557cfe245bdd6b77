variable "image_tag" {
  description = "Tag of the images to deploy (the commit the release workflow built and pushed)."
  type        = string
}

variable "domain_name" {
  description = "Host name of the public API in this environment (the GitHub environment's TF_VAR_domain_name)."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of domain_name (the GitHub environment's TF_VAR_route53_zone_id)."
  type        = string
}

variable "auth" {
  description = "The identity provider whose tokens the gateway accepts (the GitHub environment's TF_VAR_auth): its JWKS URL, issuer and audience."
  type = object({
    jwks_url = string
    issuer   = string
    audience = string
  })
}

variable "web_origins" {
  description = "Origins of Vården's web pages that call the API from the browser (the GitHub environment's TF_VAR_web_origins), e.g. [\"https://boka.varden.se\"]."
  type        = list(string)
  default     = []
}
