variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows push the images and deploy."
  type        = string
}

variable "state_bucket" {
  description = "The S3 bucket holding the Terraform state of every environment (created once, by hand, with versioning and encryption)."
  type        = string
}
