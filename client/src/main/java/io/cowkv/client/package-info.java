package io.cowkv.client;
