package io.cowkv.rdb;
