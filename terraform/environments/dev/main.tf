# The dev environment: the platform module with dev's sizes. See docs/deploying.md.

terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # The bucket and its region come from `terraform init -backend-config=…` (release workflow).
  backend "s3" {
    key          = "booking-platform/dev.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

locals {
  region = "eu-north-1"
}

provider "aws" {
  region = local.region

  default_tags {
    tags = {
      Project     = "booking-platform"
      Environment = "dev"
    }
  }
}

module "platform" {
  source          = "../../modules/platform"
  environment     = "dev"
  region          = local.region
  image_tag       = var.image_tag
  domain_name     = var.domain_name
  route53_zone_id = var.route53_zone_id
  auth            = var.auth
  web_origins     = var.web_origins

  # The providers are the simulators; cheap, interruptible, nothing to protect.
  simulators          = true
  fargate_spot        = true
  deletion_protection = false
  log_retention_days  = 14
  trace_sample_ratio  = 1

  network = {
    cidr_block         = "10.10.0.0/16"
    availability_zones = ["eu-north-1a", "eu-north-1b"]
    nat_gateways       = 1
  }

  capacity = {
    gateway    = { cpu = 256, memory = 1024, min_count = 1, max_count = 2 }
    scheduling = { cpu = 256, memory = 1024, min_count = 1, max_count = 2 }
    providers  = { cpu = 256, memory = 1024, min_count = 1, max_count = 2 }
  }

  postgres = {
    instance_class           = "db.t4g.micro"
    allocated_storage_gb     = 20
    max_allocated_storage_gb = 50
    multi_az                 = false
    backup_retention_days    = 1
  }

  redis = {
    node_type = "cache.t4g.micro"
    nodes     = 1
  }
}
